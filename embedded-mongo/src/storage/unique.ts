import { valueKey } from '../bson/value-key.js';
import { compileFilter } from '../query/filter.js';
import { indexValues } from '../query/paths.js';
import type { Doc } from '../types.js';
import type { IndexSpec } from './indexes/collection-indexes.js';

/** Whether `doc` is held by the index at all (sparse skips docs missing every key; partial filters). */
export function indexHolds(spec: IndexSpec, doc: Doc): boolean {
  const fields = Object.keys(spec.key);
  if (spec.sparse && fields.every((f) => indexValues(doc, f).missing)) return false;
  if (spec.partialFilterExpression && !compileFilter(spec.partialFilterExpression)(doc)) return false;
  return true;
}

/**
 * True when two documents collide on a unique index: every key field shares a value (multikey
 * aware). Used for writes a transaction has buffered, which are not in the committed index yet.
 */
export function collideOn(spec: IndexSpec, a: Doc, b: Doc): boolean {
  if (!indexHolds(spec, a) || !indexHolds(spec, b)) return false;
  return Object.keys(spec.key).every((field) => {
    const left = new Set(indexValues(a, field).values.map(valueKey));
    return indexValues(b, field).values.some((v) => left.has(valueKey(v)));
  });
}

/** The `keyValue` mongod reports for a duplicate: the document's first value per key field. */
export function keyValueOf(spec: IndexSpec, doc: Doc): Doc {
  const out: Doc = {};
  for (const field of Object.keys(spec.key)) out[field] = indexValues(doc, field).values[0] ?? null;
  return out;
}
