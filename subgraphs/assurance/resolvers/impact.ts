import { stub } from '../../../kit/entity-stub.js';
import { parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import { alarmsOnFootprints, type FootprintDeps } from '../impact/footprint-alarms.js';
import { healthStatus } from '../impact/health.js';
import type { CustomerIds, ResourceSet } from '../impact/set-impact-api.js';
import { impactLoaders, type PartReply } from '../impact/loaders.js';
import type { Context } from './context.js';
import { toAlarm, type AlarmNode } from './shapes.js';

/** `AlarmImpact` before its fields resolve: the set, so counts alone never fetch id lists or tallies. */
interface ImpactOfSet {
  set: ResourceSet;
}

/** An `AlarmImpactedCustomerEdge` before its services resolve. */
interface CustomerEdge {
  cursor: string;
  node: { __typename: 'Customer'; id: string };
  serviceIds: string[];
}

const resourceSetOf = (alarm: AlarmNode, ctx: Context) =>
  impactLoaders(ctx).resourceSet.load({ alarmId: alarm.id, resourceId: alarm.alarmedObject.id, isRootCause: alarm.isRootCause });

const counts = (ctx: Context, set: ResourceSet) => impactLoaders(ctx).setImpact.load({ set, part: { kind: 'counts' } });

async function tally(ctx: Context, set: ResourceSet) {
  const { customerSetKey } = await counts(ctx, set);
  return impactLoaders(ctx).tally.load({ set, customerSetKey });
}

/** `Alarm` fields of the impact feature (merged into the Alarm resolvers). */
export const alarmImpactFields = {
  impact: async (alarm: AlarmNode, _: unknown, ctx: Context): Promise<ImpactOfSet> => ({ set: await resourceSetOf(alarm, ctx) }),

  impactedServices: async (alarm: AlarmNode, args: PageArgs, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const set = await resourceSetOf(alarm, ctx);
    const reply = (await impactLoaders(ctx).setImpact.load({ set, part: { kind: 'services', offset: page.offset, limit: page.limit } })) as PartReply<string[]>;
    return toConnection(reply.value.map((id) => stub('Service', id)), reply.serviceCount, page);
  },

  impactedCustomers: async (alarm: AlarmNode, args: PageArgs, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const set = await resourceSetOf(alarm, ctx);
    const reply = (await impactLoaders(ctx).setImpact.load({ set, part: { kind: 'customers', offset: page.offset, limit: page.limit } })) as PartReply<CustomerIds[]>;
    const connection = toConnection(reply.value, reply.customerCount, page);
    const edges: CustomerEdge[] = connection.edges.map(({ cursor, node }) => ({ cursor, node: stub('Customer', node.customerId), serviceIds: node.serviceIds }));
    return { ...connection, edges };
  },
};

/**
 * `AlarmImpact`: service and customer counts come from inventory's topology; the segment and
 * tier split from the customer subgraph. Customers the customer subgraph does not know are
 * counted (the topology says they are hurt) but in no segment or tier.
 */
export const AlarmImpact = {
  serviceCount: async ({ set }: ImpactOfSet, _: unknown, ctx: Context) => (await counts(ctx, set)).serviceCount,
  customerCount: async ({ set }: ImpactOfSet, _: unknown, ctx: Context) => (await counts(ctx, set)).customerCount,
  enterpriseCustomerCount: async ({ set }: ImpactOfSet, _: unknown, ctx: Context) => (await tally(ctx, set)).enterpriseCount,
  bySlaTier: async ({ set }: ImpactOfSet, _: unknown, ctx: Context) => (await tally(ctx, set)).bySlaTier,
};

/** `AlarmImpactedCustomerEdge.services`: the customer's failing services (the gateway resolves them in inventory). */
export const AlarmImpactedCustomerEdge = {
  services: (edge: CustomerEdge) => edge.serviceIds.map((id) => stub('Service', id)),
};

/** Ancestors from the topology replica (completed on a miss), active alarms through the request's loader. */
function footprintDeps(ctx: Context): FootprintDeps {
  const { topology } = ctx;
  return { ensure: (ids) => topology.ensure(ids), ancestors: (id) => topology.ancestors(id), activeAlarmsOn: impactLoaders(ctx).activeAlarmsOn };
}

/** The assurance view of a customer (owned by the customer subgraph): the network issues behind its services. */
export const Customer = {
  // No lookup: a customer without services simply has no network issues.
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  networkIssues: async (customer: { id: string }, _: unknown, ctx: Context) => {
    const footprints = await impactLoaders(ctx).customerFootprints.load(customer.id);
    return (await alarmsOnFootprints(footprintDeps(ctx), footprints)).map(toAlarm);
  },
};

/** The assurance view of a service (owned by inventory): its health from the alarms behind it. */
export const Service = {
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  health: async (service: { id: string }, _: unknown, ctx: Context) => {
    const footprint = await impactLoaders(ctx).serviceFootprint.load(service.id);
    const alarms = footprint ? await alarmsOnFootprints(footprintDeps(ctx), [footprint]) : [];
    return { status: healthStatus(alarms), alarms: alarms.map(toAlarm) };
  },
};

/** The impact feature's resolver map entries besides the `Alarm` fields (merge `Customer`/`Service` with other features' fields). */
export const impactResolvers = { AlarmImpact, AlarmImpactedCustomerEdge, Customer, Service };
