import { stub, stubOrNull } from '../../../kit/entity-stub.js';
import type { ProductOrderDoc, ProductOrderItemDoc } from '../models.js';
import type { OrderContext } from './context.js';

/** Fields of `ProductOrder` and its items; parents are stored documents as `lean()` returns them. */
export const productOrderResolvers = {
  ProductOrder: {
    __resolveReference: (ref: { id: string }, ctx: OrderContext) => ctx.loaders.productOrderById.load(ref.id),
    id: (order: ProductOrderDoc) => order._id,
    customer: (order: ProductOrderDoc) => stub('Customer', order.customerId),
    billingAccount: (order: ProductOrderDoc) => stubOrNull('BillingAccount', order.billingAccountId),
    serviceOrders: (order: ProductOrderDoc, _args: unknown, ctx: OrderContext) => ctx.loaders.serviceOrdersByProductOrderId.load(order._id),
  },
  ProductOrderItem: {
    productOffering: (item: ProductOrderItemDoc) => stub('ProductOffering', item.productOfferingId),
    // The activation time the confirmation recorded goes with the reference (the schema's @provides).
    service: (item: ProductOrderItemDoc) => (item.serviceId ? { ...stub('Service', item.serviceId), activatedAt: item.serviceActivatedAt ?? null } : null),
  },
};
