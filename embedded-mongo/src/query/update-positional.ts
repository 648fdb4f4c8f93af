import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { compileFilter } from './filter.js';
import { child, FILTER_ID, isPositional } from './update-paths.js';
import { formatValue, isPlainObject } from './values.js';

/**
 * The array-element updates: `arrayFilters` parsing/validation and the expansion of `$`, `$[]`
 * and `$[id]` into concrete paths, evaluated against the document before the update.
 */

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

export type ElementTest = (el: unknown) => boolean;

/** Compiles `arrayFilters` into element tests by identifier, with mongod's validation. */
export function parseArrayFilters(filters: unknown): Map<string, ElementTest> {
  const out = new Map<string, ElementTest>();
  if (filters === undefined || filters === null) return out;
  if (!Array.isArray(filters)) throw fail(ErrorCode.TypeMismatch, 'arrayFilters must be an array');
  for (const filter of filters) {
    if (!isPlainObject(filter)) throw fail(ErrorCode.TypeMismatch, 'Each array filter must be an object');
    const ids = new Set<string>();
    const collect = (f: Doc) => {
      for (const [k, v] of Object.entries(f)) {
        if ((k === '$and' || k === '$or' || k === '$nor') && Array.isArray(v)) v.filter(isPlainObject).forEach(collect);
        else if (!k.startsWith('$')) ids.add(k.split('.')[0]);
      }
    };
    collect(filter);
    const [id, other] = [...ids];
    if (id === undefined) throw fail(ErrorCode.FailedToParse, 'Cannot use an expression without a top-level field name in arrayFilters');
    if (other !== undefined) {
      throw fail(ErrorCode.FailedToParse, `Error parsing array filter :: caused by :: Expected a single top-level field name, found '${id}' and '${other}'`);
    }
    if (!/^[a-z][a-zA-Z0-9]*$/.test(id)) {
      throw fail(ErrorCode.BadValue, `Error parsing array filter :: caused by :: The top-level field name must be an alphanumeric string beginning with a lowercase letter, found '${id}'`);
    }
    if (out.has(id)) throw fail(ErrorCode.FailedToParse, `Found multiple array filters with the same top-level field name ${id}`);
    const test = compileFilter(filter);
    out.set(id, (el) => test({ [id]: el }));
  }
  return out;
}

export interface Expansion {
  /** Index for the `$` of the array at `prefix`, from the query (undefined: no match). */
  firstMatch(prefix: string[]): number | undefined;
  filters: Map<string, ElementTest>;
}

/** The concrete paths a (possibly positional) path designates in `doc`. */
export function expandPath(doc: Doc, parts: string[], ex: Expansion): string[][] {
  if (!parts.some(isPositional)) return [parts];
  const out: string[][] = [];
  const walk = (value: unknown, i: number, acc: string[]) => {
    if (i === parts.length) {
      out.push(acc);
      return;
    }
    const p = parts[i];
    if (p === '$') {
      const idx = ex.firstMatch(acc);
      if (idx === undefined) throw fail(ErrorCode.BadValue, 'The positional operator did not find the match needed from the query.');
      walk(child(value, String(idx)), i + 1, [...acc, String(idx)]);
      return;
    }
    const id = FILTER_ID.exec(p)?.[1];
    if (id === undefined) {
      walk(child(value, p), i + 1, [...acc, p]);
      return;
    }
    if (value === undefined) {
      throw fail(ErrorCode.BadValue, `The path '${acc.join('.')}' must exist in the document in order to apply array updates.`);
    }
    if (!Array.isArray(value)) {
      throw fail(ErrorCode.BadValue, `Cannot apply array updates to non-array element ${acc[acc.length - 1]}: ${formatValue(value)}`);
    }
    const test = id === '' ? undefined : ex.filters.get(id);
    value.forEach((el, k) => {
      if (!test || test(el)) walk(el, i + 1, [...acc, String(k)]);
    });
  };
  walk(doc, 0, []);
  return out;
}

/** Array filter identifiers used by a path. */
export const filterIds = (parts: string[]): string[] =>
  parts.map((p) => FILTER_ID.exec(p)?.[1]).filter((id): id is string => id !== undefined && id !== '');
