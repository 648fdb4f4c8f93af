import type { CustomerContext } from '../resolvers/context.js';
import { rememberedTally, tallyCustomers } from './tally.js';

/** `Query.customerTally` and `Query.rememberedCustomerTally`: internal (`@inaccessible`), for the assurance subgraph's alarm impact. */
export const tallyQuery = {
  customerTally: (_: unknown, args: { customerIds: string[]; rememberAs?: string | null }, ctx: CustomerContext) => tallyCustomers(ctx.models, args.customerIds, args.rememberAs),
  rememberedCustomerTally: (_: unknown, args: { setKey: string }, ctx: CustomerContext) => rememberedTally(ctx.models, args.setKey),
};
