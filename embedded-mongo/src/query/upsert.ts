import { MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { cloneValue, idFirst, isPlainObject } from './values.js';

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

type Equality = { path: string; value: unknown };

/** The equality value a query condition pins a field to, if any (mongod's upsert extraction). */
function equalityOf(cond: unknown): { value: unknown } | undefined {
  if (cond instanceof RegExp) return undefined;
  if (!isPlainObject(cond)) return { value: cond };
  const keys = Object.keys(cond);
  if (!keys.length || !keys[0].startsWith('$')) return { value: cond };
  if ('$eq' in cond && !(cond.$eq instanceof RegExp)) return { value: cond.$eq };
  if (Array.isArray(cond.$in) && cond.$in.length === 1 && !(cond.$in[0] instanceof RegExp)) return { value: cond.$in[0] };
  return undefined;
}

function collectEqualities(query: Doc, out: Equality[]): void {
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) v.filter(isPlainObject).forEach((q) => collectEqualities(q, out));
    else if (k === '$or' && Array.isArray(v) && v.length === 1 && isPlainObject(v[0])) collectEqualities(v[0], out);
    else if (!k.startsWith('$')) {
      const eq = equalityOf(v);
      if (eq) out.push({ path: k, value: eq.value });
    }
  }
}

/**
 * The document an upsert starts from: the query's equality conditions (plain values, `$eq`,
 * single-element `$in`, inside `$and` / single-clause `$or`), dotted paths expanded into
 * subdocuments, `_id` first. Operators and regexes are dropped.
 */
export function upsertSeed(query: Doc): Doc {
  const eqs: Equality[] = [];
  collectEqualities(query ?? {}, eqs);
  const seed: Doc = {};
  const paths: string[][] = [];
  for (const { path, value } of eqs) {
    const parts = path.split('.');
    for (const prev of paths) {
      if (prev.join('.') === path) throw fail(54, `cannot infer query fields to set, path '${path}' is matched twice`);
      const shorter = prev.length < parts.length ? prev : parts;
      const longer = shorter === prev ? parts : prev;
      if (shorter.every((p, i) => p === longer[i])) {
        throw fail(54, `cannot infer query fields to set, both paths '${longer.join('.')}' and '${shorter.join('.')}' are matched`);
      }
    }
    paths.push(parts);
    let cur = seed;
    for (const p of parts.slice(0, -1)) {
      if (!isPlainObject(cur[p])) cur[p] = {};
      cur = cur[p] as Doc;
    }
    cur[parts[parts.length - 1]] = cloneValue(value);
  }
  return idFirst(seed);
}
