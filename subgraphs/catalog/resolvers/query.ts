import { findPage, parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import { containsIgnoringCase } from '../../../kit/text-filter.js';
import type { OfferingDoc } from '../models.js';
import type { CatalogContext } from './context.js';
import { toOffering, toSpecification } from './mappers.js';

/** `ProductOfferingFilter` as GraphQL hands it over (enum values already validated by the schema). */
interface OfferingFilterInput {
  lifecycleStatus?: OfferingDoc['lifecycleStatus'] | null;
  isSellable?: boolean | null;
  isBundle?: boolean | null;
  categoryId?: string | null;
  nameContains?: string | null;
}

/** Long enough for any offering name; longer input is a client bug, not a search. */
const MAX_NAME_FILTER_LENGTH = 200;

/** The MongoDB filter for a `ProductOfferingFilter`: every set condition must hold (AND). */
export function offeringFilter(filter: OfferingFilterInput | null | undefined): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (!filter) return query;
  if (filter.lifecycleStatus) query.lifecycleStatus = filter.lifecycleStatus;
  // Booleans: `false` is a condition too, only null/absent means "either".
  if (filter.isSellable != null) query.isSellable = filter.isSellable;
  if (filter.isBundle != null) query.isBundle = filter.isBundle;
  if (filter.categoryId != null) query['category.id'] = filter.categoryId;
  const name = containsIgnoringCase('filter.nameContains', filter.nameContains, MAX_NAME_FILTER_LENGTH);
  if (name) query.name = name;
  return query;
}

async function productOffering(_: unknown, args: { id: string }, ctx: CatalogContext) {
  const doc = await ctx.loaders.offeringById.load(args.id);
  return doc && toOffering(doc);
}

/** Pages in `_id` order: stable across requests, so cursors (offsets) stay meaningful. */
async function productOfferings(_: unknown, args: PageArgs & { filter?: OfferingFilterInput | null }, ctx: CatalogContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const query = offeringFilter(args.filter);
  const { nodes: docs, totalCount } = await findPage<OfferingDoc>(ctx.models.ProductOffering, query, { _id: 1 }, page);
  // Bundles in this page often name offerings of the same page: no need to read them again.
  for (const doc of docs) ctx.loaders.offeringById.prime(doc._id, doc);
  return toConnection(docs.map(toOffering), totalCount, page);
}

async function productSpecification(_: unknown, args: { id: string }, ctx: CatalogContext) {
  const doc = await ctx.loaders.specificationById.load(args.id);
  return doc && toSpecification(doc);
}

/** `Query` resolvers of the catalog subgraph. */
export const queryResolvers = { productOffering, productOfferings, productSpecification };
