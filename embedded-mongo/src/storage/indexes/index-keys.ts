import type { Doc } from '../../types.js';
import { parallelArraysError } from './index-errors.js';
import type { KeyTuple } from './key-order.js';
import type { IndexDeps } from './spec.js';

/**
 * Stored for an empty array (mongod's `undefined` key): distinct from null/missing, so
 * `{ a: [] }` and `{}` don't collide in a unique index, while two `{ a: [] }` do.
 */
export const EMPTY_ARRAY: readonly unknown[] = Object.freeze([]);
const EMPTY_ONLY: unknown[] = [EMPTY_ARRAY];

/** What key derivation needs from an index (its multikey flags are updated as a side effect). */
export interface KeySource {
  readonly fields: readonly string[];
  readonly sparse: boolean;
  /** Per field, sticky: set when a document had an array along that path. */
  readonly multikey: boolean[];
  readonly deps: IndexDeps;
}

/**
 * The entries `[v1, …, vn, idKey]` an index holds for `doc`, or null when a sparse index
 * skips it (every field missing). Multikey fields contribute one entry per value; several
 * multikey fields are combined as a cartesian product when they traverse the same array
 * (`{ 'items.sku': 1, 'items.qty': 1 }`), else mongod refuses the document (171).
 */
export function documentKeys(src: KeySource, doc: Doc, idKey: string): KeyTuple[] | null {
  const n = src.fields.length;
  if (topLevelFields(src.fields)) {
    const simple = scalarKey(src, doc, idKey);
    if (simple !== undefined) return simple;
  }
  const perField: unknown[][] = new Array(n);
  const arrayFields: number[] = [];
  let allMissing = true;
  for (let i = 0; i < n; i++) {
    const { values, missing, multikey } = src.deps.indexValues(doc, src.fields[i]);
    if (!missing) allMissing = false;
    if (multikey || values.length !== 1) {
      src.multikey[i] = true;
      // Without the dependency's multikey flag, one value is indistinguishable from a scalar.
      if (multikey || values.length > 1) arrayFields.push(i);
    }
    perField[i] = storedValues(values);
  }
  if (allMissing && src.sparse) return null;
  if (arrayFields.length > 1) assertOneArray(doc, src.fields, arrayFields);
  return n === 1 ? perField[0].map((v) => [v, idKey]) : product(perField, idKey);
}

const topLevel = new WeakMap<readonly string[], boolean>();
const topLevelFields = (fields: readonly string[]): boolean => {
  let known = topLevel.get(fields);
  if (known === undefined) topLevel.set(fields, (known = fields.every((f) => !f.includes('.'))));
  return known;
};

/**
 * The one entry of a document whose key fields are all top-level and none an array — what
 * every insert computes for every index — built directly (what the general path below yields
 * for it: the value, null for a missing field); undefined when some field holds an array.
 */
function scalarKey(src: KeySource, doc: Doc, idKey: string): KeyTuple[] | null | undefined {
  const n = src.fields.length;
  const t: KeyTuple = new Array(n + 1);
  let allMissing = true;
  for (let i = 0; i < n; i++) {
    const v = doc[src.fields[i]];
    if (Array.isArray(v)) return undefined;
    if (v === undefined) t[i] = null;
    else {
      t[i] = v;
      allMissing = false;
    }
  }
  if (allMissing && src.sparse) return null;
  t[n] = idKey;
  return [t];
}

/** Empty arrays (no values, or the dependency's `undefined`) become the EMPTY_ARRAY key. */
function storedValues(values: unknown[]): unknown[] {
  if (values.length === 0) return EMPTY_ONLY;
  return values.includes(undefined) ? values.map((v) => (v === undefined ? EMPTY_ARRAY : v)) : values;
}

/** Every combination, each tuple allocated at its exact size (10^6 entries: every slot counts). */
function product(perField: unknown[][], idKey: string): KeyTuple[] {
  const n = perField.length;
  const total = perField.reduce((count, vals) => count * vals.length, 1);
  const out: KeyTuple[] = new Array(total);
  for (let c = 0; c < total; c++) {
    const t: KeyTuple = new Array(n + 1);
    let rest = c;
    for (let i = n - 1; i >= 0; i--) {
      const vals = perField[i];
      t[i] = vals[rest % vals.length];
      rest = Math.floor(rest / vals.length);
    }
    t[n] = idKey;
    out[c] = t;
  }
  return out;
}

function assertOneArray(doc: Doc, fields: readonly string[], arrayFields: number[]): void {
  const prefixes = arrayFields.map((i) => arrayPrefix(doc, fields[i]));
  const other = prefixes.find((p) => p !== prefixes[0]);
  if (other !== undefined) throw parallelArraysError(prefixes[0], other);
}

/** The path of the first array met along `path` (numeric components index into arrays). */
function arrayPrefix(doc: Doc, path: string): string {
  const parts = path.split('.');
  let cur: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    cur = cur !== null && typeof cur === 'object' ? (cur as Doc)[parts[i]] : undefined;
    if (!Array.isArray(cur)) continue;
    if (i + 1 < parts.length && /^\d+$/.test(parts[i + 1])) {
      cur = cur[Number(parts[++i])];
      continue;
    }
    return parts.slice(0, i + 1).join('.');
  }
  return path;
}

/** `{ field: value }` for an entry, as E11000's keyValue reports it (empty array → undefined). */
export function keyValueOf(fields: readonly string[], key: KeyTuple): Doc {
  const out: Doc = {};
  fields.forEach((f, i) => (out[f] = key[i] === EMPTY_ARRAY ? undefined : (key[i] ?? null)));
  return out;
}
