import { stubOrNull } from '../../../kit/entity-stub.js';
import type { ServiceOrderDoc, ServiceOrderItemDoc } from '../models.js';
import type { OrderContext } from './context.js';

/** Fields of `ServiceOrder` and its items; parents are stored documents as `lean()` returns them. */
export const serviceOrderResolvers = {
  ServiceOrder: {
    __resolveReference: (ref: { id: string }, ctx: OrderContext) => ctx.loaders.serviceOrderById.load(ref.id),
    id: (order: ServiceOrderDoc) => order._id,
    productOrder: (order: ServiceOrderDoc, _args: unknown, ctx: OrderContext) =>
      order.productOrderId ? ctx.loaders.productOrderById.load(order.productOrderId) : null,
  },
  ServiceOrderItem: {
    service: (item: ServiceOrderItemDoc) => stubOrNull('Service', item.serviceId),
    activationStep: (item: ServiceOrderItemDoc) => item.saga?.step ?? null,
  },
};
