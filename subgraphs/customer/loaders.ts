import { byIdLoader, wholeBatch } from '../../kit/loaders.js';
import { groupPageLoader, pagedGroups, pageShape, type GroupPage } from '../../kit/paged-groups.js';
import type { Page } from '../../kit/pagination.js';
import type { CustomerDoc, InteractionDoc, Models } from './models.js';

/** One page of a customer's interactions (newest first) and how many the customer has in all. */
export type InteractionPage = GroupPage<InteractionDoc>;

/** Which page of which customer's interactions to load. */
export interface InteractionPageKey extends Page {
  customerId: string;
}

/** The customer fields a summary carries: what impact and list views ask for in bulk. */
export const CUSTOMER_SUMMARY_FIELDS = ['name', 'status', 'segment', 'slaTier'] as const;
/** A customer read with only its summary fields. */
export type CustomerSummaryDoc = Pick<CustomerDoc, '_id' | (typeof CUSTOMER_SUMMARY_FIELDS)[number]>;
const SUMMARY_PROJECTION = Object.fromEntries(CUSTOMER_SUMMARY_FIELDS.map((f) => [f, 1]));

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
    interactionPage: groupPageLoader<InteractionPageKey, InteractionDoc>({
      groupOf: (k) => k.customerId,
      shapeOf: pageShape,
      load: (customerIds, page) => loadInteractionPages(models, customerIds, page),
    }),
  };
}

/** The customer subgraph's loaders. */
export type Loaders = ReturnType<typeof createLoaders>;

/**
 * One aggregation for the same page of many customers' interactions: the sort before `$group`
 * fixes the order `$push` collects in, and `$slice` ships only the requested page, so a customer
 * with a long history does not inflate the reply.
 */
function loadInteractionPages(models: Models, customerIds: string[], page: Page): Promise<Map<string, InteractionPage>> {
  return pagedGroups<InteractionDoc>(models.Interaction, {
    stages: [{ $match: { customerId: { $in: customerIds } } }],
    sort: { customerId: 1, createdAt: -1, _id: 1 },
    groupField: 'customerId',
    page,
    groups: customerIds.length,
  });
}
