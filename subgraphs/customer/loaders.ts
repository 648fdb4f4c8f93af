import DataLoader from 'dataloader';
import type { Page } from '../../kit/pagination.js';
import type { CustomerDoc, InteractionDoc, Models } from './models.js';

/** One page of a customer's interactions (newest first) and how many the customer has in all. */
export interface InteractionPage {
  totalCount: number;
  nodes: InteractionDoc[];
}

/** Which page of which customer's interactions to load. */
export interface InteractionPageKey extends Page {
  customerId: string;
}

/**
 * The batch is returned in ONE reply: the server's default first batch is 101 documents, and
 * every getMore would be one more database command per request. `+ 1` lets the server see the
 * end of the results inside the batch and close the cursor instead of leaving it for a getMore.
 */
export const wholeBatch = (expectedDocs: number) => expectedDocs + 1;

/** The customer fields a summary carries: what impact and list views ask for in bulk. */
export const CUSTOMER_SUMMARY_FIELDS = ['name', 'status', 'segment', 'slaTier'] as const;
/** A customer read with only its summary fields. */
export type CustomerSummaryDoc = Pick<CustomerDoc, '_id' | (typeof CUSTOMER_SUMMARY_FIELDS)[number]>;
const SUMMARY_PROJECTION = Object.fromEntries(CUSTOMER_SUMMARY_FIELDS.map((f) => [f, 1]));

/** `find({_id: {$in: ids}})` as a DataLoader batch: results in key order, `null` for misses. */
function byIdLoader<T extends { _id: string }>(find: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const docs = await find([...ids]);
    const byId = new Map(docs.map((d) => [d._id, d]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Per-request DataLoaders of the customer subgraph. */
export function createLoaders(models: Models) {
  return {
    /** Whole customer by id; `null` for unknown ids. One `find` per request however many ids arrive. */
    customerById: byIdLoader((ids) =>
      models.Customer.find({ _id: { $in: ids } }).batchSize(wholeBatch(ids.length)).lean<CustomerDoc[]>(),
    ),

    /**
     * Customer summary by id. The gateway resolves thousands of customers at once for alarm
     * impact and asks only for summary fields; whole documents (contacts, credit profiles) make
     * that read ~4x slower for nothing.
     */
    customerSummaryById: byIdLoader((ids) =>
      models.Customer.find({ _id: { $in: ids } }, SUMMARY_PROJECTION).batchSize(wholeBatch(ids.length)).lean<CustomerSummaryDoc[]>(),
    ),

    /**
     * A page of interactions per customer. Keys asking for the same page shape (the usual case:
     * one `interactions(first:)` selection under a list of customers) share one aggregation.
     */
    interactionPage: new DataLoader<InteractionPageKey, InteractionPage, string>(
      async (keys) => {
        const byShape = groupBy(keys, (k) => `${k.offset}:${k.limit}`);
        const pages = new Map<string, InteractionPage>();
        await Promise.all(
          [...byShape.values()].map(async (group) => {
            const { offset, limit } = group[0];
            const found = await loadInteractionPages(models, group.map((k) => k.customerId), offset, limit);
            for (const [customerId, page] of found) pages.set(interactionPageKey({ customerId, offset, limit }), page);
          }),
        );
        return keys.map((k) => pages.get(interactionPageKey(k)) ?? { totalCount: 0, nodes: [] });
      },
      { cacheKeyFn: interactionPageKey },
    ),
  };
}

/** The customer subgraph's loaders. */
export type Loaders = ReturnType<typeof createLoaders>;

function interactionPageKey(k: InteractionPageKey): string {
  return `${k.customerId}|${k.offset}|${k.limit}`;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * One aggregation for the same page of many customers' interactions: the sort before `$group`
 * fixes the order `$push` collects in, and `$slice` ships only the requested page, so a customer
 * with a long history does not inflate the reply.
 */
async function loadInteractionPages(models: Models, customerIds: string[], offset: number, limit: number): Promise<Map<string, InteractionPage>> {
  // `$slice` needs a positive count; `first: 0` asks only for totals.
  const nodes = limit > 0 ? { $slice: ['$nodes', offset, limit] } : { $literal: [] };
  const rows = await models.Interaction.aggregate<{ _id: string; totalCount: number; nodes: InteractionDoc[] }>([
    { $match: { customerId: { $in: customerIds } } },
    { $sort: { customerId: 1, createdAt: -1, _id: 1 } },
    { $group: { _id: '$customerId', totalCount: { $sum: 1 }, nodes: { $push: '$$ROOT' } } },
    { $project: { totalCount: 1, nodes } },
  ]).option({ batchSize: wholeBatch(customerIds.length) });
  return new Map(rows.map((r) => [r._id, { totalCount: r.totalCount, nodes: r.nodes }]));
}
