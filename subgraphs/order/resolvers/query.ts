import { findPage, parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import { PRODUCT_ORDER_SORT } from '../loaders.js';
import type { ProductOrderDoc } from '../models.js';
import type { OrderContext } from './context.js';

/** `ProductOrderFilter` as GraphQL hands it over (absent fields are undefined or null). */
interface ProductOrderFilter {
  customerId?: string | null;
  state?: ProductOrderDoc['state'] | null;
}

/** The stored fields a filter condition matches; both lead an index that ends in the list's sort. */
type ProductOrderQuery = Partial<Pick<ProductOrderDoc, 'customerId' | 'state'>>;

function toQuery(filter: ProductOrderFilter | null | undefined): ProductOrderQuery {
  const query: ProductOrderQuery = {};
  if (filter?.customerId != null) query.customerId = filter.customerId;
  if (filter?.state != null) query.state = filter.state;
  return query;
}

/** One page of product orders, newest first; the page and its count are two parallel commands. */
async function productOrderPage(args: PageArgs & { filter?: ProductOrderFilter | null }, ctx: OrderContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const filter = toQuery(args.filter);
  const { nodes, totalCount } = await findPage<ProductOrderDoc>(ctx.models.ProductOrder, filter, PRODUCT_ORDER_SORT, page);
  // Relations of these orders (e.g. `ServiceOrder.productOrder` back to them) need no refetch.
  for (const order of nodes) ctx.loaders.productOrderById.prime(order._id, order);
  return toConnection(nodes, totalCount, page);
}

/** The order subgraph's query root. */
export const queryResolvers = {
  Query: {
    productOrder: (_root: unknown, { id }: { id: string }, ctx: OrderContext) => ctx.loaders.productOrderById.load(id),
    productOrders: (_root: unknown, args: PageArgs & { filter?: ProductOrderFilter | null }, ctx: OrderContext) => productOrderPage(args, ctx),
    serviceOrder: (_root: unknown, { id }: { id: string }, ctx: OrderContext) => ctx.loaders.serviceOrderById.load(id),
  },
};
