import DataLoader from 'dataloader';
import type { AppConfig } from '../../kit/config.js';
import { byIdLoader, manyInKeyOrder, ONE_ROUND_TRIP } from '../../kit/loaders.js';
import type { Models, ProductOrderDoc, ServiceOrderDoc } from './models.js';

/** The sort every product order list uses: newest first, ties broken by id (matches the indexes). */
export const PRODUCT_ORDER_SORT = { orderDate: -1, _id: -1 } as const;
/** The sort of a product order's service orders: oldest first, ties broken by id. */
export const SERVICE_ORDER_SORT = { orderDate: 1, _id: 1 } as const;

/** The product orders with these ids, in one query and one reply (any order; misses left out). */
export const findProductOrders = (models: Models) => (ids: readonly string[]) =>
  models.ProductOrder.find({ _id: { $in: [...ids] } }).batchSize(ONE_ROUND_TRIP).lean<ProductOrderDoc[]>().exec();
/** The service orders with these ids, in one query and one reply (any order; misses left out). */
export const findServiceOrders = (models: Models) => (ids: readonly string[]) =>
  models.ServiceOrder.find({ _id: { $in: [...ids] } }).batchSize(ONE_ROUND_TRIP).lean<ServiceOrderDoc[]>().exec();

/**
 * Per-request DataLoaders of the order subgraph: every entity and relation is loaded in one
 * query per batch, whatever the number of parents.
 */
export function createLoaders(models: Models, _config?: AppConfig) {
  const { ProductOrder, ServiceOrder } = models;
  const productOrderById = byIdLoader(findProductOrders(models));
  const serviceOrderById = byIdLoader(findServiceOrders(models));

  // List loaders prime the by-id loaders: a relation back to an order just listed (e.g.
  // `ServiceOrder.productOrder`) then costs no command.
  const productOrdersByCustomerId = new DataLoader<string, ProductOrderDoc[]>(async (customerIds) => {
    const docs = await ProductOrder.find({ customerId: { $in: [...customerIds] } })
      .sort({ customerId: 1, ...PRODUCT_ORDER_SORT })
      .batchSize(ONE_ROUND_TRIP)
      .lean<ProductOrderDoc[]>();
    for (const doc of docs) productOrderById.prime(doc._id, doc);
    return manyInKeyOrder(customerIds, docs, (o) => o.customerId);
  });
  const serviceOrdersByProductOrderId = new DataLoader<string, ServiceOrderDoc[]>(async (productOrderIds) => {
    const docs = await ServiceOrder.find({ productOrderId: { $in: [...productOrderIds] } })
      .sort({ productOrderId: 1, ...SERVICE_ORDER_SORT })
      .batchSize(ONE_ROUND_TRIP)
      .lean<ServiceOrderDoc[]>();
    for (const doc of docs) serviceOrderById.prime(doc._id, doc);
    return manyInKeyOrder(productOrderIds, docs, (o) => o.productOrderId);
  });
  return { productOrderById, serviceOrderById, productOrdersByCustomerId, serviceOrdersByProductOrderId };
}

/** The order subgraph's per-request loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
