import { stub } from '../../../kit/entity-stub.js';
import { findPage, parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import type { SlaViolationDoc } from '../sla/model.js';
import { VIOLATION_ORDER, violationQuery } from '../sla/loaders.js';
import type { ViolationState } from '../sla/terms.js';
import { durationMs, spanOf } from '../sla/violations.js';
import type { Context } from './context.js';
import { toAlarmOrNull } from './shapes.js';

type ViolationArgs = PageArgs & { state?: ViolationState | null };

/** An SLA violation as the SDL shapes it; `alarm` resolves from the id kept here. */
export function toSlaViolation(doc: SlaViolationDoc) {
  return {
    id: doc._id,
    customer: stub('Customer', doc.customerId),
    service: stub('Service', doc.serviceId),
    tier: doc.tier,
    indicator: doc.indicator,
    unit: doc.unit,
    target: doc.target,
    actual: doc.actual,
    state: doc.state,
    start: doc.start,
    end: doc.end ?? null,
    durationSeconds: Math.round(durationMs(spanOf(doc)) / 1000),
    penaltyEstimate: doc.penaltyEstimate ?? null,
    alarmId: doc.alarmId ?? null,
  };
}

type SlaViolationNode = ReturnType<typeof toSlaViolation>;

/** Query root: one violation, and violations page by page (optionally one customer's, in one state). */
export const slaQueries = {
  slaViolation: async (_: unknown, args: { id: string }, ctx: Context) => {
    const doc = await ctx.loaders.slaViolationById.load(args.id);
    return doc ? toSlaViolation(doc) : null;
  },

  slaViolations: async (_: unknown, args: ViolationArgs & { customerId?: string | null }, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const query = violationQuery({ customerId: args.customerId, state: args.state });
    const { nodes, totalCount } = await findPage<SlaViolationDoc>(ctx.models.SlaViolation, query, VIOLATION_ORDER, page);
    return toConnection(nodes.map(toSlaViolation), totalCount, page);
  },
};

/** `Customer.slaViolations`: batched over the customers of a request. */
export const customerSlaFields = {
  slaViolations: async (customer: { id: string }, args: ViolationArgs, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const { totalCount, nodes } = await ctx.loaders.customerSlaViolationPage.load({ ownerId: customer.id, state: args.state ?? null, page });
    return toConnection(nodes.map(toSlaViolation), totalCount, page);
  },
};

/** `Service.slaViolations`: batched over the services of a request. */
export const serviceSlaFields = {
  slaViolations: async (service: { id: string }, args: ViolationArgs, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const { totalCount, nodes } = await ctx.loaders.serviceSlaViolationPage.load({ ownerId: service.id, state: args.state ?? null, page });
    return toConnection(nodes.map(toSlaViolation), totalCount, page);
  },
};

/** SlaViolation entity: reference resolution (live subscriptions expand it through the gateway) and its alarm. */
export const SlaViolation = {
  __resolveReference: async (ref: { id: string }, ctx: Context) => {
    const doc = await ctx.loaders.slaViolationById.load(ref.id);
    return doc ? toSlaViolation(doc) : null;
  },
  alarm: async (v: SlaViolationNode, _: unknown, ctx: Context) => (v.alarmId ? toAlarmOrNull(await ctx.loaders.alarmById.load(v.alarmId)) : null),
};
