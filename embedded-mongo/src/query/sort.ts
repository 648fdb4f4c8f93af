import { MongoCommandError, notImplemented } from '../errors.js';
import type { Doc } from '../types.js';
import { indexValues } from './paths.js';
import { compareMissingLow, isPlainObject } from './values.js';

/**
 * mongod sort semantics: canonical BSON order across types, missing sorts as null, an array
 * field sorts by its smallest element ascending and its largest descending (an empty array is
 * an `undefined` key, before null), dotted paths go through arrays of subdocuments like index
 * keys do. Sorting is stable.
 */

export type SortSpec = Array<{ path: string; dir: 1 | -1 }>;
export type DocComparator = (a: Doc, b: Doc) => number;

/** Validates a sort document (`{a: 1, 'b.c': -1}`) into an ordered list of keys. */
export function parseSort(sort: Doc): SortSpec {
  if (!isPlainObject(sort)) throw new MongoCommandError(15973, 'Sort specification must be an object');
  return Object.keys(sort).map((path) => {
    const v = sort[path];
    if (isPlainObject(v) && '$meta' in v) throw notImplemented(`{$meta: ${JSON.stringify(v.$meta)}} sort`);
    const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number.NaN;
    if (n !== 1 && n !== -1) {
      throw new MongoCommandError(15975, '$sort key ordering must be 1 (for ascending) or -1 (for descending)');
    }
    if (path === '' || path.startsWith('$') || path.split('.').includes('')) {
      throw new MongoCommandError(15998, `FieldPath field names may not be empty strings or start with '$': '${path}'`);
    }
    return { path, dir: n as 1 | -1 };
  });
}

/** The sort key of `doc` for one path and direction. */
export function sortKey(doc: Doc, path: string, dir: 1 | -1): unknown {
  const { values } = indexValues(doc, path);
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    if (dir * compareMissingLow(values[i], best) < 0) best = values[i];
  }
  return best;
}

export function compareSortKeys(spec: SortSpec, a: unknown[], b: unknown[]): number {
  for (let i = 0; i < spec.length; i++) {
    const c = compareMissingLow(a[i], b[i]);
    if (c !== 0) return spec[i].dir * c;
  }
  return 0;
}

/** A comparator for `sort` (keys are recomputed per comparison; prefer `sortDocuments`). */
export function compileSort(sort: Doc): DocComparator {
  const spec = parseSort(sort);
  return (a, b) =>
    compareSortKeys(
      spec,
      spec.map((s) => sortKey(a, s.path, s.dir)),
      spec.map((s) => sortKey(b, s.path, s.dir)),
    );
}

/** Returns a new, stably sorted array. An empty sort document keeps the input order. */
export function sortDocuments(docs: Doc[], sort: Doc): Doc[] {
  const spec = parseSort(sort);
  if (!spec.length) return docs.slice();
  const keyed = docs.map((doc, i) => ({ doc, i, keys: spec.map((s) => sortKey(doc, s.path, s.dir)) }));
  keyed.sort((x, y) => compareSortKeys(spec, x.keys, y.keys) || x.i - y.i);
  return keyed.map((k) => k.doc);
}
