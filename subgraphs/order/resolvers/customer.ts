import type { OrderContext } from './context.js';

/** The customer subgraph owns `Customer`; this one only knows its id and contributes its orders. */
interface CustomerRef {
  id: string;
}

/** Fields the order subgraph contributes to `Customer`. */
export const customerResolvers = {
  Customer: {
    // No lookup: whether the customer exists is the customer subgraph's business.
    __resolveReference: (ref: CustomerRef): CustomerRef => ({ id: ref.id }),
    productOrders: (customer: CustomerRef, _args: unknown, ctx: OrderContext) => ctx.loaders.productOrdersByCustomerId.load(customer.id),
  },
};
