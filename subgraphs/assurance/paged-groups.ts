import type { PipelineStage } from 'mongoose';
import type { Page } from '../../kit/pagination.js';

/** One page of a group's members and how many members the group has in all. */
export interface GroupPage<T> {
  totalCount: number;
  nodes: T[];
}

/** What a paged-groups query needs from a model. */
interface Aggregates {
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
 * absent from the map (callers answer an empty page for them).
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
    // One reply row per group: `+ 1` lets the server close the cursor instead of awaiting a getMore.
    { batchSize: spec.groups + 1 },
  );
  return new Map(rows.map((r) => [r._id, { totalCount: r.totalCount, nodes: r.nodes }]));
}

/** Splits keys into buckets of equal shape (same page, same arguments): one query per bucket. */
export function groupBy<K>(keys: readonly K[], shapeOf: (key: K) => string): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const shape = shapeOf(key);
    const group = groups.get(shape);
    if (group) group.push(key);
    else groups.set(shape, [key]);
  }
  return groups;
}
