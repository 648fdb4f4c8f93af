import { stubOrNull, type EntityStub } from '../../../kit/entity-stub.js';
import { loadExisting } from '../loaders.js';
import type { ServiceDoc } from '../models.js';
import type { InventoryContext } from './context.js';

/** Field resolvers of `Service` over a stored service document. */
export const Service = {
  __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.serviceById.load(ref.id),
  id: (service: ServiceDoc) => service._id,
  customer: (service: ServiceDoc): EntityStub<'Customer'> | null => stubOrNull('Customer', service.customerId),
  productOffering: (service: ServiceDoc): EntityStub<'ProductOffering'> | null => stubOrNull('ProductOffering', service.productOfferingId),
  // Stored order; ids that resolve to nothing are left out (the list is non-null).
  supportingResources: (service: ServiceDoc, _args: unknown, ctx: InventoryContext) => loadExisting(ctx.loaders.resourceById, service.supportingResourceIds),
  supportingServices: (service: ServiceDoc, _args: unknown, ctx: InventoryContext) => loadExisting(ctx.loaders.serviceById, service.supportingServiceIds),
};

/** `Customer.services`: inventory's contribution to the customer entity. */
export const Customer = {
  // Inventory holds no customer record: the key is all there is, and `services` batches by it.
  __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
  services: (customer: { id: string }, _args: unknown, ctx: InventoryContext) => ctx.loaders.servicesByCustomer.load(customer.id),
};
