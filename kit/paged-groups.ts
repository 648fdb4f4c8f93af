import DataLoader from 'dataloader';
import type { PipelineStage } from 'mongoose';
import { groupBy, wholeBatch } from './loaders.js';
import type { Page } from './pagination.js';

/** One page of a group's members (e.g. one account's charges) and how many members the group has in all. */
export interface GroupPage<T> {
  totalCount: number;
  nodes: T[];
}

/** The answer for a group without members. */
export const emptyPage = <T>(): GroupPage<T> => ({ totalCount: 0, nodes: [] });

/** A page's shape as a string, e.g. `20:5`: keys with equal shapes can share one query. */
export const pageShape = (page: Page) => `${page.offset}:${page.limit}`;

/** How a DataLoader of group pages batches its keys. */
export interface GroupPageLoaderSpec<K, T> {
  /** The group a key pages through, e.g. the account id of `charges(first: 5)`. */
  groupOf(key: K): string;
  /** Everything else the key asks for (page, filters) as a string: keys of one shape share one query. */
  shapeOf(key: K): string;
  /**
   * The pages of every group in `groupIds`, for keys of one shape (`sample` is one of them).
   * Groups without members may be left out of the map.
   */
  load(groupIds: string[], sample: K): Promise<Map<string, GroupPage<T>>>;
}

/**
 * A DataLoader of group pages: one `load` per distinct shape in a batch, so a page of 50
 * accounts each showing `charges(first: 5)` costs one command, not 50.
 */
export function groupPageLoader<K, T>(spec: GroupPageLoaderSpec<K, T>): DataLoader<K, GroupPage<T>, string> {
  const cacheKey = (key: K) => JSON.stringify([spec.shapeOf(key), spec.groupOf(key)]);
  return new DataLoader<K, GroupPage<T>, string>(
    async (keys) => {
      const pages = new Map<string, GroupPage<T>>();
      await Promise.all([...groupBy(keys, spec.shapeOf).values()].map(async (group) => {
        const byGroup = await spec.load([...new Set(group.map(spec.groupOf))], group[0]);
        for (const key of group) pages.set(cacheKey(key), byGroup.get(spec.groupOf(key)) ?? emptyPage());
      }));
      return keys.map((key) => pages.get(cacheKey(key)) ?? emptyPage());
    },
    { cacheKeyFn: cacheKey },
  );
}

/** What a paged-groups query needs from a model (a mongoose Model has it). */
export interface Aggregates {
  aggregate<R>(pipeline: PipelineStage[], options?: { batchSize?: number }): PromiseLike<R[]>;
}

/** Which documents to page through, how they are ordered, and what groups them. */
export interface PagedGroupsSpec {
  /** Stages producing the documents to page through ($match first, so indexes apply). */
  stages: PipelineStage[];
  /** Order of the members inside each group; end it with a unique field so pages are stable. */
  sort: Record<string, 1 | -1>;
  /** Field whose value names a member's group, e.g. `parentAlarmId`. */
  groupField: string;
  page: Page;
  /** How many groups can come back (the number of keys): sizes the reply so it needs no getMore. */
  groups: number;
}

/**
 * The same page of many groups in ONE database command — e.g. the first 20 child alarms of every
 * root cause in a list — with each group's total count. Members are sorted, gathered per group
 * and sliced server-side, so only page-sized groups cross the wire. Groups without members are
 * absent from the map.
 */
export async function pagedGroups<T>(model: Aggregates, spec: PagedGroupsSpec): Promise<Map<string, GroupPage<T>>> {
  const { offset, limit } = spec.page;
  const rows = await model.aggregate<{ _id: string; totalCount: number; nodes: T[] }>(
    [
      ...spec.stages,
      { $sort: spec.sort },
      // $push after $sort keeps the sorted order within each group.
      { $group: { _id: `$${spec.groupField}`, totalCount: { $sum: 1 }, nodes: { $push: '$$ROOT' } } },
      // $slice needs a positive count; `first: 0` asks for the counts alone.
      { $project: { totalCount: 1, nodes: limit > 0 ? { $slice: ['$nodes', offset, limit] } : { $literal: [] } } },
    ],
    // One reply row per group.
    { batchSize: wholeBatch(spec.groups) },
  );
  return new Map(rows.map((r) => [r._id, { totalCount: r.totalCount, nodes: r.nodes }]));
}
