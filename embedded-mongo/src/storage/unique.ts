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
 * aware), for documents that are not in the committed index (a transaction's visible versions).
 */
export function collideOn(spec: IndexSpec, a: Doc, b: Doc): boolean {
  if (!indexHolds(spec, a) || !indexHolds(spec, b)) return false;
  return Object.keys(spec.key).every((field) => {
    const left = new Set(indexValues(a, field).values.map(valueKey));
    return indexValues(b, field).values.some((v) => left.has(valueKey(v)));
  });
}

/**
 * The `keyValue` of a duplicate between two colliding documents: per key field, the first of
 * `doc`'s values that `other` shares (for a multikey field that is the value actually
 * duplicated, not merely the document's first one).
 */
export function sharedKeyValue(spec: IndexSpec, doc: Doc, other: Doc): Doc {
  const out: Doc = {};
  for (const field of Object.keys(spec.key)) {
    const theirs = new Set(indexValues(other, field).values.map(valueKey));
    out[field] = indexValues(doc, field).values.find((v) => theirs.has(valueKey(v))) ?? null;
  }
  return out;
}
