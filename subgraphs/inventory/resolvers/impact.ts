import type { EntityStub } from '../../../kit/entity-stub.js';
import { parsePage, toConnection, type Page, type PageArgs } from '../../../kit/pagination.js';
import { loadAll, loadExisting } from '../loaders.js';
import type { ResourceDoc } from '../models.js';
import { customerStub, type InventoryContext } from './context.js';

/** An `ImpactedCustomerEdge` before its `services` are loaded. */
interface ImpactedCustomerEdge {
  cursor: string;
  node: EntityStub<'Customer'>;
  serviceIds: readonly string[];
}

/** One page of a (cached, shared, read-only) ordered list as a connection. */
const pageOf = <T>(all: readonly T[], page: Page) => toConnection(all.slice(page.offset, page.offset + page.limit), all.length, page);

/**
 * `Resource.impactedServices`: the memoised impact gives the ordered ids; `edges` is resolved
 * lazily (graphql-js calls a function-valued field), so `totalCount`/`pageInfo` alone cost
 * nothing beyond the walk and edges load just the page's documents in one batched query.
 */
export async function impactedServices(resource: ResourceDoc, args: PageArgs, ctx: InventoryContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const { serviceIds } = await ctx.loaders.impact.load(resource._id);
  const { totalCount, edges, pageInfo } = pageOf(serviceIds, page);
  return {
    totalCount,
    pageInfo,
    edges: async () => {
      const docs = await loadAll(ctx.loaders.serviceById, edges.map((e) => e.node));
      // Found by a walk no write has invalidated since, so they exist; a racing delete only drops its edge.
      return edges.flatMap((edge, i) => (docs[i] ? [{ cursor: edge.cursor, node: docs[i] }] : []));
    },
  };
}

/** `Resource.impactedCustomers`: distinct customers of the impacted services, ids ascending. */
export async function impactedCustomers(resource: ResourceDoc, args: PageArgs, ctx: InventoryContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const { customers } = await ctx.loaders.impact.load(resource._id);
  const connection = pageOf(customers, page);
  const edges: ImpactedCustomerEdge[] = connection.edges.map(({ cursor, node }) => ({ cursor, node: customerStub(node.customerId), serviceIds: node.serviceIds }));
  return { ...connection, edges };
}

/** Field resolvers of `ImpactedCustomerEdge`. */
export const ImpactedCustomerEdge = {
  services: (edge: ImpactedCustomerEdge, _args: unknown, ctx: InventoryContext) => loadExisting(ctx.loaders.serviceById, edge.serviceIds),
};
