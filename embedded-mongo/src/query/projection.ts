import { MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { type EngineOptions, evaluate, mingoOptions } from './context.js';
import { normalizeCondition, normalizeFilter } from './filter-normalize.js';
import { positionalMatcher } from './positional.js';
import { parseProjection } from './projection-parse.js';
import { applyExclusion, applyInclusion } from './projection-tree.js';
import { elemMatchPredicate, isValueElemMatch } from './query-ops.js';

/**
 * Find-command projections with mongod ≥ 4.4 semantics: inclusion/exclusion, `_id` rules, dotted
 * paths through arrays of subdocuments, `$slice`, `$elemMatch`, positional `field.$` (driven by
 * the filter), and aggregation expressions / literals in inclusion projections.
 */

export type DocProjector = (doc: Doc) => Doc;

/**
 * Compiles a projection once for many documents. `filter` is the find filter (for `field.$`).
 * Without a projection (or with `{}`) documents are returned as they are — callers must treat
 * results as read-only, since projected documents share unchanged subtrees with their input.
 */
export function compileProjection(projection: Doc | undefined, filter?: Doc, opts?: EngineOptions): DocProjector {
  if (!projection || Object.keys(projection).length === 0) return (doc) => doc;
  const options = mingoOptions(opts);
  const parsed = parseProjection(projection, 'find', {
    elemMatch: (criteria) => {
      const normalized = isValueElemMatch(criteria) ? normalizeCondition(criteria) : normalizeFilter(criteria);
      return elemMatchPredicate(normalized, options);
    },
  });
  if (parsed.mode === 'exclusion') return (doc) => applyExclusion(doc, parsed.root);
  const positional = parsed.positionalPath ? positionalMatcher(filter, parsed.positionalPath) : undefined;
  return (doc) => {
    let positionalIndex: number | undefined;
    if (positional) {
      positionalIndex = positional(doc);
      if (positionalIndex === undefined) {
        throw new MongoCommandError(
          51246,
          "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array",
        );
      }
    }
    return applyInclusion(doc, parsed.root, {
      evaluate: (expr) => evaluate(doc, expr, options),
      positionalIndex,
    });
  };
}

/** Projects one document (see `compileProjection`). */
export function projectDocument(doc: Doc, projection: Doc | undefined, filter?: Doc): Doc {
  return compileProjection(projection, filter)(doc);
}
