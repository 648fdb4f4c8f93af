import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
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
  const query = guard(() => new Query(normalized, options));
  return (doc: Doc) => {
    try {
      return query.test(doc);
    } catch (e) {
      throw toMongoError(e);
    }
  };
}
