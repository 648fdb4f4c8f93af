import type { GraphQLResolveInfo } from 'graphql';
import { parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import { CUSTOMER_SUMMARY_FIELDS } from '../loaders.js';
import type { CustomerContext } from './context.js';
import { toCustomer, toCustomerSummary, toInteraction, type CustomerNode } from './mappers.js';
import { selectedFieldNames } from './selection.js';

/** Customer fields a summary document can answer (`interactions` resolves through its own loader). */
const ANSWERED_BY_SUMMARY = new Set<string>(['__typename', 'id', 'interactions', ...CUSTOMER_SUMMARY_FIELDS]);

/**
 * Federation entry point: the gateway sends `{ __typename: 'Customer', id }` representations.
 * Every representation of a request shares one selection, so all of them pick the same loader:
 * still one database command, and only the summary is read when that is all that was asked.
 */
async function resolveReference(ref: { id: string }, ctx: CustomerContext, info: GraphQLResolveInfo) {
  const selected = selectedFieldNames(info, 'Customer');
  if ([...selected].every((f) => ANSWERED_BY_SUMMARY.has(f))) {
    const summary = await ctx.loaders.customerSummaryById.load(ref.id);
    return summary && toCustomerSummary(summary);
  }
  const doc = await ctx.loaders.customerById.load(ref.id);
  return doc && toCustomer(doc);
}

async function interactions(customer: Pick<CustomerNode, 'id'>, args: PageArgs, ctx: CustomerContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const { totalCount, nodes } = await ctx.loaders.interactionPage.load({ customerId: customer.id, ...page });
  return toConnection(nodes.map(toInteraction), totalCount, page);
}

/** `Customer` resolvers: reference resolution and relation fields (plain fields come mapped). */
export const customerResolvers = { __resolveReference: resolveReference, interactions };

/** `Party` is a union; mapped parties carry their member's name. */
export const partyResolvers = {
  __resolveType: (party: { __typename: 'Individual' | 'Organization' }) => party.__typename,
};
