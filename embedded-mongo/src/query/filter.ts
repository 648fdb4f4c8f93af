import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { valuesEqual } from '../bson/compare.js';
import type { Doc } from '../types.js';
import { type EngineOptions, guard, mingoOptions, toMongoError } from './context.js';
import { normalizeFilter } from './filter-normalize.js';

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
 * The hot path of every point lookup (`{ _id: x }`, `{ customerId: y }`): top-level fields
 * compared to scalars need no mingo Query (whose construction dominates a find by _id). The
 * semantics are mongod's: equal value, or an array holding an equal element; null ≡ missing.
 */
function scalarEqualityFilter(filter: Doc): DocPredicate | undefined {
  // normalizeFilter spells `{ a: 1 }` as `{ a: { $eq: 1 } }`.
  const entries = Object.entries(filter).map(([k, v]) => [k, equalityOperand(v)] as const);
  if (!entries.every(([k, v]) => !k.startsWith('$') && !k.includes('.') && v !== NOT_EQUALITY && isScalar(v))) return undefined;
  return (doc: Doc) =>
    entries.every(([k, v]) => {
      const actual = doc[k];
      return valuesEqual(actual, v) || (Array.isArray(actual) && actual.some((el) => valuesEqual(el, v)));
    });
}

const NOT_EQUALITY = Symbol('not a plain equality');

function equalityOperand(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return v;
  const keys = Object.keys(v as Doc);
  return keys.length === 1 && keys[0] === '$eq' ? (v as Doc).$eq : NOT_EQUALITY;
}
