import { stub, stubOrNull } from '../../../kit/entity-stub.js';
import { findPage, parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import type { UnbilledServiceDoc } from '../models.js';
import { reconcileBilling } from '../revenue-assurance/reconcile.js';
import type { BillingContext } from './context.js';

/** The leakage register for finance, and the reconciliation on demand. */
export const revenueAssuranceResolvers = {
  Query: {
    unbilledServices: async (_root: unknown, args: PageArgs, ctx: BillingContext) => {
      const page = parsePage(args, ctx.config.maxPageSize);
      // Unbilled longest first: the most revenue lost so far (no activation time known comes last).
      const { nodes, totalCount } = await findPage<UnbilledServiceDoc>(ctx.models.UnbilledService, {}, { activatedAt: 1, _id: 1 }, page);
      return toConnection(nodes, totalCount, page);
    },
  },
  Mutation: {
    reconcileBilling: (_root: unknown, _args: unknown, ctx: BillingContext) => reconcileBilling(ctx),
  },
  UnbilledService: {
    service: (d: UnbilledServiceDoc) => stub('Service', d._id),
    customer: (d: UnbilledServiceDoc) => stubOrNull('Customer', d.customerId),
    productOffering: (d: UnbilledServiceDoc) => stubOrNull('ProductOffering', d.productOfferingId),
  },
};
