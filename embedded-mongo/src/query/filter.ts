import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import type { Doc } from '../types.js';
import { type EngineOptions, guard, mingoOptions, toMongoError } from './context.js';
import { normalizeFilter } from './filter-normalize.js';
import { eqPred, inPred } from './query-ops.js';

/**
 * Query filters: `compileFilter(filter)` validates the filter like mongod (throwing
 * `MongoCommandError` BadValue / NotImplemented) and returns a predicate with MongoDB's matching
 * semantics (type bracketing, array element matching, null ≡ missing, BSON equality).
 */

export type QueryOptions = EngineOptions;

export type DocPredicate = (doc: Doc) => boolean;

export function compileFilter(filter: Doc, opts?: QueryOptions): DocPredicate {
  return compileFilterWith(filter ?? {}, mingoOptions(opts));
}

/** Compiles with explicit mingo options (used by $match and nested pipelines for variables). */
export function compileFilterWith(filter: Doc, options: Options | Partial<Options>): DocPredicate {
  const normalized = normalizeFilter(filter);
  if (Object.keys(normalized).length === 0) return () => true;
  const fast = scalarEqualityFilter(normalized);
  if (fast) return fast;
  const query = guard(() => new Query(normalized, options));
  return (doc: Doc) => {
    try {
      return query.test(doc);
    } catch (e) {
      throw toMongoError(e);
    }
  };
}

/** A filter value that equality can test directly: not a document, array or regex. */
function isScalar(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function' && v !== undefined;
  if (v instanceof Date) return true;
  const tag = (v as { _bsontype?: string })._bsontype;
  return tag === 'ObjectId' || tag === 'Decimal128' || tag === 'Long';
}

/**
 * The hot path of point lookups and topology walks (`{ _id: x }`, `{ customerId: y }`,
 * `{ reliesOn: { $in: [...] } }`): top-level fields compared to scalars need no mingo Query,
 * whose construction and per-document path resolution dominate those queries. Semantics are
 * mongod's: equal value, or an array holding an equal element; null ≡ missing.
 */
function scalarEqualityFilter(filter: Doc): DocPredicate | undefined {
  const tests: Array<[string, (v: unknown) => boolean]> = [];
  for (const [field, condition] of Object.entries(filter)) {
    if (field.startsWith('$') || field.includes('.')) return undefined;
    const test = scalarCondition(condition);
    if (!test) return undefined;
    tests.push([field, test]);
  }
  return (doc: Doc) =>
    tests.every(([field, test]) => {
      const actual = doc[field];
      return test(actual) || (Array.isArray(actual) && actual.some(test));
    });
}

/** The shared value test for `{ $eq: scalar }` or `{ $in: [scalars] }` (normalizeFilter's spellings). */
function scalarCondition(condition: unknown): ((v: unknown) => boolean) | undefined {
  if (condition === null || typeof condition !== 'object' || Object.getPrototypeOf(condition) !== Object.prototype) return undefined;
  const keys = Object.keys(condition as Doc);
  if (keys.length !== 1) return undefined;
  const operand = (condition as Doc)[keys[0]];
  if (keys[0] === '$eq' && isScalar(operand)) return eqPred(operand);
  if (keys[0] === '$in' && Array.isArray(operand) && operand.every(isScalar)) return inPred(operand, '$in');
  return undefined;
}
