import type { Doc } from '../types.js';
import { compileFilter, type DocPredicate } from './filter.js';
import { getPath, setPathCopy } from './paths.js';
import { isPlainObject } from './values.js';

/**
 * The positional `$` of updates and find projections: the index of the first element of the
 * array at `arrayPath` that satisfies the query's conditions on that array (top-level and `$and`
 * clauses whose path is the array or goes through it). Returns undefined when the query has no
 * condition on the array or no element matches.
 */
export function positionalMatcher(query: Doc | undefined, arrayPath: string[]): (doc: Doc) => number | undefined {
  const prefix = arrayPath.join('.');
  const conditions: Doc[] = [];
  const collect = (q: unknown) => {
    if (!isPlainObject(q)) return;
    for (const [k, v] of Object.entries(q)) {
      if (k === '$and' && Array.isArray(v)) v.forEach(collect);
      else if (k === prefix || k.startsWith(prefix + '.')) conditions.push({ [k]: v });
    }
  };
  collect(query);
  if (!conditions.length) return () => undefined;
  const preds: DocPredicate[] = conditions.map((c) => compileFilter(c));
  return (doc) => {
    const arr = getPath(doc, arrayPath);
    if (!Array.isArray(arr)) return undefined;
    for (let i = 0; i < arr.length; i++) {
      const probe = setPathCopy({}, arrayPath, [arr[i]]);
      if (preds.every((p) => p(probe))) return i;
    }
    return undefined;
  };
}
