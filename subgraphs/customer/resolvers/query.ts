import { findPage, parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import { containsIgnoringCase } from '../../../kit/text-filter.js';
import type { CustomerDoc } from '../models.js';
import type { CustomerContext } from './context.js';
import { toCustomer } from './mappers.js';

/** `CustomerFilter` as GraphQL hands it over (enum values already validated by the schema). */
interface CustomerFilterInput {
  segment?: CustomerDoc['segment'] | null;
  slaTier?: CustomerDoc['slaTier'];
  status?: CustomerDoc['status'] | null;
  nameContains?: string | null;
}

/** Long enough for any real name; longer input is a client bug, not a search. */
const MAX_NAME_FILTER_LENGTH = 200;

/** The MongoDB filter for a `CustomerFilter`: every set condition must hold (AND). */
export function customerFilter(filter: CustomerFilterInput | null | undefined): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (!filter) return query;
  if (filter.segment) query.segment = filter.segment;
  if (filter.slaTier) query.slaTier = filter.slaTier;
  if (filter.status) query.status = filter.status;
  const name = containsIgnoringCase('filter.nameContains', filter.nameContains, MAX_NAME_FILTER_LENGTH);
  if (name) query.name = name;
  return query;
}

async function customer(_: unknown, args: { id: string }, ctx: CustomerContext) {
  const doc = await ctx.loaders.customerById.load(args.id);
  return doc && toCustomer(doc);
}

/** Pages in `_id` order: stable across requests, so cursors (offsets) stay meaningful. */
async function customers(_: unknown, args: PageArgs & { filter?: CustomerFilterInput | null }, ctx: CustomerContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const query = customerFilter(args.filter);
  const { nodes: docs, totalCount } = await findPage<CustomerDoc>(ctx.models.Customer, query, { _id: 1 }, page);
  // Later selections in this request (e.g. `_entities`) reuse what this page already read.
  for (const doc of docs) ctx.loaders.customerById.prime(doc._id, doc);
  return toConnection(docs.map(toCustomer), totalCount, page);
}

/** `Query` resolvers of the customer subgraph. */
export const queryResolvers = { customer, customers };
