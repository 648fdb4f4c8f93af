import DataLoader from 'dataloader';
import type { AppConfig } from '../../kit/config.js';
import { manyInKeyOrder, oneByIdInKeyOrder } from './batch.js';
import type { Models, ProductOrderDoc, ServiceOrderDoc } from './models.js';

/** The sort every product order list uses: newest first, ties broken by id (matches the indexes). */
export const PRODUCT_ORDER_SORT = { orderDate: -1, _id: -1 } as const;
/** The sort of a product order's service orders: oldest first, ties broken by id. */
export const SERVICE_ORDER_SORT = { orderDate: 1, _id: 1 } as const;

/**
 * Per-request DataLoaders of the order subgraph: every entity and relation is loaded in one
 * query per batch, whatever the number of parents.
 */
export function createLoaders(models: Models, _config?: AppConfig) {
  const { ProductOrder, ServiceOrder } = models;
  return {
    productOrderById: new DataLoader<string, ProductOrderDoc | null>(async (ids) =>
      oneByIdInKeyOrder(ids, await ProductOrder.find({ _id: { $in: [...ids] } }).lean<ProductOrderDoc[]>())),

    productOrdersByCustomerId: new DataLoader<string, ProductOrderDoc[]>(async (customerIds) => {
      const docs = await ProductOrder.find({ customerId: { $in: [...customerIds] } })
        .sort({ customerId: 1, ...PRODUCT_ORDER_SORT })
        .lean<ProductOrderDoc[]>();
      return manyInKeyOrder(customerIds, docs, (o) => o.customerId);
    }),

    serviceOrderById: new DataLoader<string, ServiceOrderDoc | null>(async (ids) =>
      oneByIdInKeyOrder(ids, await ServiceOrder.find({ _id: { $in: [...ids] } }).lean<ServiceOrderDoc[]>())),

    serviceOrdersByProductOrderId: new DataLoader<string, ServiceOrderDoc[]>(async (productOrderIds) => {
      const docs = await ServiceOrder.find({ productOrderId: { $in: [...productOrderIds] } })
        .sort({ productOrderId: 1, ...SERVICE_ORDER_SORT })
        .lean<ServiceOrderDoc[]>();
      return manyInKeyOrder(productOrderIds, docs, (o) => o.productOrderId);
    }),
  };
}

/** The order subgraph's per-request loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
