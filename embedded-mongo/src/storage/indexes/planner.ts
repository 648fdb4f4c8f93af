import { typeRank, TypeRank } from '../../bson/types.js';
import type { Doc } from '../../types.js';
import { buildIntervals, combineRanges, distinctValues, MAX_INTERVALS, type FieldRange } from './bounds.js';
import { analyzeFilter, type FilterShape } from './constraints.js';
import type { IndexTree, Interval } from './index-tree.js';
import { impliesPartial } from './partial.js';

/** An index access path: candidate idKeys (a superset of the matches) and the work it took. */
export interface Plan {
  /** The index used; for a `$or` answered by a union, the branch indexes joined with ','. */
  indexName: string;
  idKeys: Iterable<string>;
  keysExamined: number;
}

/**
 * Picks the index that examines the fewest keys for `filter`. Candidates are scanned in order
 * of promise, each capped by the best count so far, so a poor index costs at most what the
 * winner costs (a cheap stand-in for mongod's trial runs). A top-level `$or` is answered by a
 * union when every branch has an index and the union is cheaper. Null when no index applies
 * or every index would examine more than `cap` keys.
 */
export function planFilter(trees: readonly IndexTree[], filter: Doc, cap: number): Plan | null {
  const shape = analyzeFilter(filter);
  let best = planConjunction(trees, shape, cap);
  for (const branches of shape.ors) {
    const union = planUnion(trees, branches, best ? best.keysExamined - 1 : cap);
    if (union) best = union;
  }
  return best;
}

function planConjunction(trees: readonly IndexTree[], shape: FilterShape, cap: number): Plan | null {
  const options = trees
    .filter((tree) => !tree.spec.hidden)
    .map((tree) => ({ tree, access: accessFor(tree, shape) }))
    .filter((o): o is { tree: IndexTree; access: Access } => o.access !== null)
    .sort((a, b) => b.access.score - a.access.score);
  let best: Plan | null = null;
  for (const { tree, access } of options) {
    const limit = best ? best.keysExamined - 1 : cap;
    if (limit < 0) break;
    const scanned = tree.scan(access.intervals, limit);
    if (scanned) best = { indexName: tree.spec.name, idKeys: scanned.ids, keysExamined: scanned.examined };
  }
  return best;
}

function planUnion(trees: readonly IndexTree[], branches: Doc[], cap: number): Plan | null {
  const ids = new Set<string>();
  const names = new Set<string>();
  let examined = 0;
  for (const branch of branches) {
    const plan = planFilter(trees, branch, cap - examined);
    if (!plan) return null; // one unindexed branch means a collection scan anyway
    examined += plan.keysExamined;
    names.add(plan.indexName);
    for (const id of plan.idKeys) ids.add(id);
  }
  return { indexName: [...names].join(','), idKeys: ids, keysExamined: examined };
}

interface Access {
  intervals: Interval[];
  /** Heuristic scan order: more constrained leading fields first, unique indexes ahead on ties. */
  score: number;
}

/** Scan intervals this index offers for the filter, or null when it can't answer it safely. */
function accessFor(tree: IndexTree, shape: FilterShape): Access | null {
  const prefix = equalityPrefix(tree, shape);
  const next = tree.fields[prefix.values.length];
  const pc = next === undefined ? undefined : shape.paths.get(next);
  const range: FieldRange | null = pc?.ranges.length ? combineRanges(pc.ranges, tree.multikey[prefix.values.length]) : null;
  if (!prefix.values.length && !range) return null;
  // A sparse index lacks documents missing every key field: safe only if some used field must exist.
  if (tree.spec.sparse && !prefix.nullFree && !range) return null;
  if (tree.spec.partialFilterExpression && !impliesPartial(tree.spec.partialFilterExpression, shape)) return null;
  const score = prefix.values.length * 4 + (range ? 2 : 0) + (tree.spec.unique ? 1 : 0);
  return { intervals: buildIntervals(tree.dirs, prefix.values, range), score };
}

/**
 * Distinct equality values for the index's leading fields. `{ a: null }` also matches missing
 * fields and arrays with no value at the path, so a null lookup also visits the empty-array
 * entries (a superset is fine, a miss is not).
 */
export function equalityPrefix(tree: IndexTree, shape: FilterShape, single = false): { values: unknown[][]; nullFree: boolean } {
  const values: unknown[][] = [];
  let nullFree = false;
  let product = 1;
  for (const field of tree.fields) {
    const sets = shape.paths.get(field)?.pointSets ?? [];
    if (!sets.length) break;
    const smallest = distinctValues(sets.reduce((a, b) => (b.length < a.length ? b : a)));
    const hasNull = smallest.some((v) => typeRank(v) === TypeRank.Null);
    if (single && (smallest.length !== 1 || hasNull)) break;
    if (values.length && product * smallest.length > MAX_INTERVALS) break;
    product *= Math.max(1, smallest.length);
    values.push(hasNull ? distinctValues([...smallest, []]) : smallest);
    if (!hasNull) nullFree = true;
  }
  return { values, nullFree };
}
