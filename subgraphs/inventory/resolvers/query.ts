import type mongoose from 'mongoose';
import { findPage, parsePage, toConnection, type Page, type PageArgs } from '../../../kit/pagination.js';
import { escapeRegex } from '../../../kit/text-filter.js';
import { checkFeasibility } from '../fulfilment/feasibility.js';
import type { ReserveServiceResourcesInput } from '../fulfilment/input.js';
import type { InventoryContext } from './context.js';
import { resourceTopology } from './topology-replica.js';

interface ServiceFilter {
  customerId?: string | null;
  state?: string | null;
  category?: string | null;
  productOfferingId?: string | null;
}

interface ResourceFilter {
  category?: string | null;
  nameContains?: string | null;
}

/** AND of the given conditions; absent (null/undefined) ones are dropped. */
function conditions(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined && value !== null));
}

function serviceConditions(filter: ServiceFilter | null | undefined): Record<string, unknown> {
  return conditions({ customerId: filter?.customerId, state: filter?.state, category: filter?.category, productOfferingId: filter?.productOfferingId });
}

function resourceConditions(filter: ResourceFilter | null | undefined): Record<string, unknown> {
  const text = filter?.nameContains;
  // Literal text, not a pattern: a name search for "gNB (north)" must not be a regex error.
  return conditions({ category: filter?.category, name: text ? { $regex: escapeRegex(text), $options: 'i' } : undefined });
}

/** One page in id order plus the total. */
async function listPage<T>(model: mongoose.Model<T>, filter: Record<string, unknown>, page: Page) {
  const { nodes, totalCount } = await findPage<T>(model, filter, { _id: 1 }, page);
  return toConnection(nodes, totalCount, page);
}

/** The query root of the inventory subgraph. */
export const Query = {
  service: (_: unknown, args: { id: string }, ctx: InventoryContext) => ctx.loaders.serviceById.load(args.id),
  resource: (_: unknown, args: { id: string }, ctx: InventoryContext) => ctx.loaders.resourceById.load(args.id),
  services: (_: unknown, args: PageArgs & { filter?: ServiceFilter | null }, ctx: InventoryContext) =>
    listPage(ctx.models.Service, serviceConditions(args.filter), parsePage(args, ctx.config.maxPageSize)),
  resources: (_: unknown, args: PageArgs & { filter?: ResourceFilter | null }, ctx: InventoryContext) =>
    listPage(ctx.models.Resource, resourceConditions(args.filter), parsePage(args, ctx.config.maxPageSize)),
  serviceFeasibility: (_: unknown, args: { input: ReserveServiceResourcesInput }, ctx: InventoryContext) => checkFeasibility(ctx.models, args.input),
  serviceReservation: (_: unknown, args: { id: string }, ctx: InventoryContext) => ctx.loaders.reservationById.load(args.id),
  resourceTopology,
};
