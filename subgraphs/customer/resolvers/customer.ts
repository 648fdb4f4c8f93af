import { parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import type { CustomerContext } from './context.js';
import { toCustomer, toInteraction, type CustomerNode } from './mappers.js';

/** Federation entry point: the gateway sends `{ __typename: 'Customer', id }` representations. */
async function resolveReference(ref: { id: string }, ctx: CustomerContext) {
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
