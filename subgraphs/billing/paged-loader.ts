import { wholeBatch } from '../../kit/loaders.js';
import { groupPageLoader, pageShape, type GroupPage } from '../../kit/paged-groups.js';
import type { Page } from '../../kit/pagination.js';

/** One page of one parent's children, e.g. the first 20 charges of account BA-1. */
export interface ChildPageKey extends Page {
  parentId: string;
}

/** What a connection needs: the page's nodes and the parent's total count. */
export type ChildPage<T> = GroupPage<T>;

interface GroupedPage<T> {
  _id: string;
  totalCount: number;
  nodes?: T[];
}

/** The one model method a paged loader needs (a mongoose Model has it). */
export interface Aggregatable {
  aggregate<R>(pipeline: object[]): { option(options: { batchSize: number }): PromiseLike<R[]> };
}

/** Sort of a child list, e.g. newest first `{ startDate: -1, _id: -1 }`; must end in a unique field. */
export type ChildSort = Record<string, 1 | -1>;

/**
 * One aggregate answers the same page of many parents: sort by parent then `sort` (an index
 * `{ parentField: 1, ...sort }` serves it), group by parent counting every child but keeping
 * only the first `offset + limit` ($firstN, so memory stays bounded by the page, not by the
 * account's history), then cut the page off in memory.
 */
async function loadPages<T>(model: Aggregatable, parentField: string, sort: ChildSort, parentIds: string[], page: Page): Promise<Map<string, ChildPage<T>>> {
  const keep = page.offset + page.limit;
  const pipeline = [
    { $match: { [parentField]: { $in: parentIds } } },
    { $sort: { [parentField]: 1, ...sort } },
    // `$firstN` needs n ≥ 1; a page of zero only wants the count.
    { $group: { _id: `$${parentField}`, totalCount: { $sum: 1 }, ...(page.limit > 0 ? { nodes: { $firstN: { input: '$$ROOT', n: keep } } } : {}) } },
  ];
  // At most one group per parent: ask for all of them in the first reply.
  const groups = await model.aggregate<GroupedPage<T>>(pipeline).option({ batchSize: wholeBatch(parentIds.length) });
  return new Map(groups.map((g) => [g._id, { totalCount: g.totalCount, nodes: (g.nodes ?? []).slice(page.offset) }]));
}

/**
 * A DataLoader of child pages per parent: one command per distinct page shape in a batch, so a
 * page of 50 accounts each showing `charges(first: 5)` costs one command, not 50.
 */
export function childPageLoader<T>(model: Aggregatable, parentField: string, sort: ChildSort) {
  return groupPageLoader<ChildPageKey, T>({
    groupOf: (k) => k.parentId,
    shapeOf: pageShape,
    load: (parentIds, page) => loadPages<T>(model, parentField, sort, parentIds, page),
  });
}
