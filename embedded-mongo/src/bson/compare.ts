import { bsonTag, toNumber, typeRank, TypeRank } from './types.js';

/**
 * Compares two BSON values the way mongod does: first by canonical type rank, then within the
 * type. Arrays compare element by element (this is value comparison, not sort-key extraction;
 * see `sortKey` for how `sort()` treats arrays).
 */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case TypeRank.Null:
    case TypeRank.MinKey:
    case TypeRank.MaxKey:
      return 0;
    case TypeRank.Number:
      return compareNumbers(toNumber(a), toNumber(b));
    case TypeRank.String:
      return cmp(String(a), String(b));
    case TypeRank.Boolean:
      return cmp(a ? 1 : 0, b ? 1 : 0);
    case TypeRank.Date:
      return cmp((a as Date).getTime(), (b as Date).getTime());
    case TypeRank.ObjectId:
      return cmp((a as { toHexString(): string }).toHexString(), (b as { toHexString(): string }).toHexString());
    case TypeRank.Array:
      return compareArrays(a as unknown[], b as unknown[]);
    case TypeRank.BinData:
      return compareBinary(a, b);
    case TypeRank.Timestamp:
      return compareTimestamps(a, b);
    case TypeRank.RegExp:
      return compareRegExps(a, b);
    default:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
  }
}

const cmp = (a: number | string, b: number | string): number => (a < b ? -1 : a > b ? 1 : 0);

/** NaN sorts below every other number and equals itself, as in mongod. */
function compareNumbers(a: number, b: number): number {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return an && bn ? 0 : an ? -1 : 1;
  return cmp(a, b);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

/** Objects compare field by field in stored order: type of value, then name, then value. */
function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const va = a[ka[i]];
    const vb = b[kb[i]];
    const byType = cmp(typeRank(va), typeRank(vb));
    if (byType !== 0) return byType;
    const byName = cmp(ka[i], kb[i]);
    if (byName !== 0) return byName;
    const byValue = compareValues(va, vb);
    if (byValue !== 0) return byValue;
  }
  return cmp(ka.length, kb.length);
}

function binaryParts(v: unknown): { sub: number; bytes: Uint8Array } {
  if (bsonTag(v) === 'Binary') {
    const bin = v as { sub_type: number; buffer: Uint8Array; position: number };
    return { sub: bin.sub_type, bytes: bin.buffer.subarray(0, bin.position) };
  }
  const view = v as ArrayBufferView;
  return { sub: 0, bytes: new Uint8Array(view.buffer, view.byteOffset, view.byteLength) };
}

/** BinData orders by length, then subtype, then bytes. */
function compareBinary(a: unknown, b: unknown): number {
  const pa = binaryParts(a);
  const pb = binaryParts(b);
  if (pa.bytes.length !== pb.bytes.length) return cmp(pa.bytes.length, pb.bytes.length);
  if (pa.sub !== pb.sub) return cmp(pa.sub, pb.sub);
  return Buffer.compare(pa.bytes, pb.bytes);
}

function compareTimestamps(a: unknown, b: unknown): number {
  const ta = a as { high: number; low: number };
  const tb = b as { high: number; low: number };
  return cmp(ta.high >>> 0, tb.high >>> 0) || cmp(ta.low >>> 0, tb.low >>> 0);
}

function regexParts(v: unknown): [string, string] {
  if (v instanceof RegExp) return [v.source, v.flags];
  const r = v as { pattern: string; options: string };
  return [r.pattern, r.options];
}

function compareRegExps(a: unknown, b: unknown): number {
  const [pa, fa] = regexParts(a);
  const [pb, fb] = regexParts(b);
  return cmp(pa, pb) || cmp(fa, fb);
}

/** True when mongod would treat the two values as equal (1 == 1.0 == Long(1), null == missing). */
export const valuesEqual = (a: unknown, b: unknown): boolean => compareValues(a, b) === 0;
