import { Binary } from 'bson';
import type { Doc } from '../types.js';

/**
 * Copies every Binary value out of the network buffer it was parsed from. bson's parser makes
 * Binary a view into the received message, so storing it as is would keep a whole request
 * (up to 48 MB) alive for as long as the document lives. Documents without Binary values are
 * returned unchanged (no copy).
 */
export function detachBinaries(doc: Doc): Doc {
  return hasBinary(doc) ? (copyValue(doc) as Doc) : doc;
}

/** Runs on every stored document: scalars are skipped inline rather than by a call each. */
function hasBinary(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Binary) return true;
  if (v instanceof Date || ('_bsontype' in (v as object))) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object' && hasBinary(x)) return true;
    return false;
  }
  for (const key in v as Doc) {
    const x = (v as Doc)[key];
    if (x !== null && typeof x === 'object' && hasBinary(x)) return true;
  }
  return false;
}

function copyValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Binary) return new Binary(Buffer.from(v.buffer.subarray(0, v.position)), v.sub_type);
  if (v instanceof Date || ('_bsontype' in (v as object))) return v;
  if (Array.isArray(v)) return v.map(copyValue);
  const out: Doc = {};
  for (const key of Object.keys(v as Doc)) out[key] = copyValue((v as Doc)[key]);
  return out;
}
