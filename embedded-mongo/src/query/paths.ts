import { valueKey } from '../bson/value-key.js';
import type { Doc } from '../types.js';
import { isPlainObject } from './values.js';

/**
 * Dotted-path traversal with mongod's three flavours:
 *  - `getPath`: plain navigation (numeric components index arrays, no implicit array expansion),
 *    as aggregation's `Document::getNestedField` and update paths do;
 *  - `queryValues`: the candidate values a query predicate looks at (mongod's
 *    `BSONElementIterator`), including "missing" markers;
 *  - `indexValues`: the keys an index (and a sort) generates (mongod's `BtreeKeyGenerator`).
 */

/** Marks "the path does not exist here" among `queryValues` results. */
export const MISSING: unique symbol = Symbol('missing');

const isDigits = (s: string): boolean => s.length > 0 && /^[0-9]+$/.test(s);

/** The value at a dotted path, or undefined. Arrays are only entered through numeric components. */
export function getPath(doc: unknown, path: string | string[]): unknown {
  const parts = typeof path === 'string' ? path.split('.') : path;
  let cur: unknown = doc;
  for (const p of parts) {
    if (Array.isArray(cur)) {
      if (!isDigits(p)) return undefined;
      cur = cur[Number(p)];
    } else if (isPlainObject(cur)) {
      cur = cur[p];
    } else {
      return undefined;
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * The values a query predicate on `parts` tests against `doc`, as mongod's element iterator
 * yields them: arrays along the path are traversed (one level; nested arrays only through a
 * numeric component), a leaf array yields each element and then the array itself when
 * `leafArrays` is true (only the array otherwise), and a path that cannot be resolved from an
 * object yields `MISSING`.
 */
export function queryValues(doc: unknown, parts: string[], leafArrays = true): unknown[] {
  const out: unknown[] = [];
  fromObject(doc, parts, 0, leafArrays, out);
  return out;
}

function fromObject(obj: unknown, parts: string[], start: number, leafArrays: boolean, out: unknown[]): void {
  let cur = obj;
  for (let j = start; j < parts.length; j++) {
    let next: unknown;
    if (isPlainObject(cur)) next = cur[parts[j]];
    else if (Array.isArray(cur) && j === start && isDigits(parts[j])) next = cur[Number(parts[j])];
    if (next === undefined) {
      out.push(MISSING);
      return;
    }
    if (Array.isArray(next)) {
      inArray(next, parts, j + 1, leafArrays, out);
      return;
    }
    cur = next;
  }
  out.push(cur);
}

function inArray(arr: unknown[], parts: string[], j: number, leafArrays: boolean, out: unknown[]): void {
  if (j === parts.length) {
    if (leafArrays) for (const el of arr) out.push(el);
    out.push(arr);
    return;
  }
  const next = parts[j];
  const last = j + 1 === parts.length;
  for (let k = 0; k < arr.length; k++) {
    const el = arr[k];
    const offsetMatch = next === String(k);
    if (isPlainObject(el)) {
      fromObject(el, parts, j, leafArrays, out);
      if (offsetMatch) {
        if (last) out.push(el);
        else fromObject(el, parts, j + 1, leafArrays, out);
      }
    } else if (offsetMatch) {
      if (last) out.push(el);
      else if (Array.isArray(el)) inArray(el, parts, j + 1, leafArrays, out);
    }
  }
}

export interface IndexValues {
  /** Distinct keys (BSON equality); `null` for "not found", `undefined` for an empty array. */
  values: unknown[];
  /** True when nothing exists at the path at all (a sparse index skips the document). */
  missing: boolean;
  /** True when an array was expanded (the index becomes multikey). */
  multikey: boolean;
  /** The keys that come from existing values, i.e. what a sparse index stores. */
  found: unknown[];
}

const NOT_FOUND: unique symbol = Symbol('notFound');

/**
 * The keys an index on dotted `path` stores for `doc`: one per array element (recursing through
 * arrays of subdocuments, non-document elements counting as "not found" = null), an empty array
 * as `undefined`, a missing field as `null` with `missing: true`. Also the sort-key candidates.
 */
export function indexValues(doc: Doc, path: string): IndexValues {
  // The common case — a top-level field holding a scalar (or nothing) — yields exactly one
  // value: no path split, no dedupe sets, no valueKey per value (every insert keys every index).
  if (!path.includes('.')) {
    const v = doc[path];
    if (v === undefined) return { values: [null], missing: true, multikey: false, found: [] };
    if (!Array.isArray(v)) return { values: [v], missing: false, multikey: false, found: [v] };
  }
  const raw: unknown[] = [];
  const state = { multikey: false };
  keysFromObject(doc, path.split('.'), 0, raw, state);
  const values: unknown[] = [];
  const found: unknown[] = [];
  const seen = new Set<string>();
  const seenFound = new Set<string>();
  let missing = true;
  for (const v of raw) {
    const isFound = v !== NOT_FOUND;
    const value = isFound ? v : null;
    const key = value === undefined ? 'undefined' : valueKey(value);
    if (!seen.has(key)) {
      seen.add(key);
      values.push(value);
    }
    if (isFound) {
      missing = false;
      if (!seenFound.has(key)) {
        seenFound.add(key);
        found.push(value);
      }
    }
  }
  return { values, missing, multikey: state.multikey, found };
}

function keysFromObject(obj: unknown, parts: string[], start: number, out: unknown[], st: { multikey: boolean }): void {
  let cur = obj;
  for (let j = start; j < parts.length; j++) {
    const next = isPlainObject(cur) ? cur[parts[j]] : undefined;
    if (next === undefined) {
      out.push(NOT_FOUND);
      return;
    }
    if (Array.isArray(next)) {
      keysFromArray(next, parts, j + 1, out, st);
      return;
    }
    cur = next;
  }
  out.push(cur);
}

function keysFromArray(arr: unknown[], parts: string[], j: number, out: unknown[], st: { multikey: boolean }): void {
  if (arr.length === 0) {
    st.multikey = true;
    out.push(undefined);
    return;
  }
  if (j === parts.length) {
    st.multikey = true;
    out.push(...arr);
    return;
  }
  const next = parts[j];
  if (isDigits(next) && Number(next) < arr.length) {
    const el = arr[Number(next)];
    if (j + 1 === parts.length) out.push(el);
    else if (Array.isArray(el)) keysFromArray(el, parts, j + 1, out, st);
    else keysFromObject(el, parts, j + 1, out, st);
    return;
  }
  st.multikey = true;
  for (const el of arr) {
    if (isPlainObject(el)) keysFromObject(el, parts, j, out, st);
    else out.push(NOT_FOUND);
  }
}

/** Returns a copy of `doc` with `parts` set to `value`, copying only the objects along the path. */
export function setPathCopy(doc: Doc, parts: string[], value: unknown): Doc {
  const [head, ...rest] = parts;
  const out: Doc = { ...doc };
  if (!rest.length) out[head] = value;
  else out[head] = setPathCopy(isPlainObject(doc[head]) ? (doc[head] as Doc) : {}, rest, value);
  return out;
}

/** Returns a copy of `doc` without `parts` (through objects only), or `doc` itself if absent. */
export function removePathCopy(doc: Doc, parts: string[]): Doc {
  const [head, ...rest] = parts;
  if (!(head in doc)) return doc;
  if (!rest.length) {
    const out: Doc = { ...doc };
    delete out[head];
    return out;
  }
  const child = doc[head];
  if (!isPlainObject(child)) return doc;
  const updated = removePathCopy(child, rest);
  return updated === child ? doc : { ...doc, [head]: updated };
}
