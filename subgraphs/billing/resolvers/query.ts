import type { BillingContext } from './context.js';

/** The billing subgraph's query root. */
export const queryResolvers = {
  Query: {
    billingAccount: (_root: unknown, { id }: { id: string }, ctx: BillingContext) => ctx.loaders.billingAccountById.load(id),
    bill: (_root: unknown, { id }: { id: string }, ctx: BillingContext) => ctx.loaders.billById.load(id),
  },
};
