import { toNumber, typeRank, TypeRank } from '../../bson/types.js';
import type { Doc } from '../../types.js';
import { buildIntervals } from './bounds.js';
import { analyzeFilter, type FilterShape } from './constraints.js';
import type { IndexTree } from './index-tree.js';
import { impliesPartial } from './partial.js';
import { equalityPrefix } from './planner.js';

/** An index scan whose order is the requested sort order. */
export interface OrderedScan {
  indexName: string;
  /** Lazily produced; every document that may match appears exactly once, in sort order. */
  idKeys: Iterable<string>;
}

/**
 * Finds an index whose order answers `sort` for documents matching `filter`: the sort fields
 * must follow the index's single-valued equality prefix (`{ status: 'a' }` + sort `{ at: -1 }`
 * on `{ status: 1, at: -1 }`), with directions all equal to the index's or all opposite.
 * Multikey fields are refused (mongod sorts arrays by their min/max element, an index yields
 * one entry per element), as are sparse/partial indexes that could miss matching documents.
 */
export function planOrder(trees: readonly IndexTree[], sort: Doc, filter: Doc): OrderedScan | null {
  const sortFields = Object.keys(sort);
  const sortDirs = sortFields.map((f) => direction(sort[f]));
  if (!sortFields.length || sortDirs.includes(0)) return null;
  const shape = analyzeFilter(filter);
  for (const tree of trees) {
    if (tree.spec.hidden) continue;
    const scan = orderedScan(tree, shape, sortFields, sortDirs);
    if (scan) return scan;
  }
  return null;
}

function orderedScan(tree: IndexTree, shape: FilterShape, sortFields: string[], sortDirs: number[]): OrderedScan | null {
  const prefix = equalityPrefix(tree, shape, true);
  // The sort starts at the first sorted field; equality-pinned fields before it narrow the scan.
  const firstSorted = tree.fields.findIndex((f) => sortFields.includes(f));
  const k = firstSorted < 0 ? prefix.values.length : Math.min(prefix.values.length, firstSorted);
  const relative = sortFields.map((field, i) => (tree.fields[k + i] === field ? sortDirs[i] * tree.dirs[k + i] : 0));
  if (relative.includes(0) || new Set(relative).size !== 1) return null;
  if (tree.multikey.slice(0, k + sortFields.length).includes(true)) return null;
  if (tree.spec.sparse && !(k > 0 && prefix.nullFree)) return null;
  if (tree.spec.partialFilterExpression && !impliesPartial(tree.spec.partialFilterExpression, shape)) return null;
  const [interval] = buildIntervals(tree.dirs, prefix.values.slice(0, k), null);
  return { indexName: tree.spec.name, idKeys: tree.ordered(interval, relative[0] < 0) };
}

/** 1 / -1 for a numeric sort direction; 0 for anything else (`{ $meta: … }`), which no index serves. */
function direction(v: unknown): number {
  if (typeRank(v) !== TypeRank.Number) return 0;
  const n = toNumber(v);
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}
