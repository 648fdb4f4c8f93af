import { badUserInput } from '../../../kit/errors.js';
import { footprintsOfCustomers, footprintsOfServices } from '../impact-internal/footprint.js';
import { customerSetKey, rememberedSets } from '../impact-internal/remembered-sets.js';
import { unionImpact } from '../impact-internal/union.js';
import type { Impact } from '../topology/impact.js';
import type { InventoryContext } from './context.js';

/** A window into one of an impact's ordered lists (internal API: plain offsets, no cursors). */
interface Window {
  offset: number;
  limit: number;
}

function slice<T>(list: readonly T[], { offset, limit }: Window): T[] {
  if (!Number.isInteger(offset) || offset < 0) throw badUserInput('offset', `must be a non-negative integer, got ${offset}`);
  if (!Number.isInteger(limit) || limit < 0) throw badUserInput('limit', `must be a non-negative integer, got ${limit}`);
  return list.slice(offset, offset + limit);
}

/**
 * The internal (`@inaccessible`) impact API the assurance subgraph builds alarm impact, network
 * issues and service health on. Counts and pages are cut from one shared, cached impact, so a
 * caller asking for counts and a first page gets no id list it did not ask for: the full
 * `allCustomerIds` list (for tallies) is sent only when selected. Big sets travel once: a caller
 * names them (`rememberAs`) and then asks by name (`rememberedResourceSetImpact`).
 */
export const impactInternalQuery = {
  resourceSetImpact: (_: unknown, args: { resourceIds: string[]; rememberAs?: string | null }, ctx: InventoryContext) => {
    if (args.rememberAs) rememberedSets(ctx.models).set(args.rememberAs, args.resourceIds);
    return unionImpact(ctx.loaders.impact, args.resourceIds);
  },
  rememberedResourceSetImpact: (_: unknown, args: { setKey: string }, ctx: InventoryContext) => {
    const ids = rememberedSets(ctx.models).get(args.setKey);
    return ids ? unionImpact(ctx.loaders.impact, ids) : null;
  },
  serviceFootprints: (_: unknown, args: { serviceIds: string[] }, ctx: InventoryContext) => footprintsOfServices(ctx.loaders, args.serviceIds),
  customerFootprints: (_: unknown, args: { customerIds: string[] }, ctx: InventoryContext) => footprintsOfCustomers(ctx.loaders, args.customerIds),
};

/** Field resolvers of `ResourceSetImpact` over an `Impact`. */
export const ResourceSetImpact = {
  serviceCount: (impact: Impact) => impact.serviceIds.length,
  customerCount: (impact: Impact) => impact.customers.length,
  serviceIds: (impact: Impact, args: Window) => slice(impact.serviceIds, args),
  customers: (impact: Impact, args: Window) => slice(impact.customers, args),
  allCustomerIds: (impact: Impact) => impact.customers.map((c) => c.customerId),
  customerSetKey,
};
