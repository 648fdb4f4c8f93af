import { insertChunked, type BulkInsertOptions } from '../../kit/bulk-insert.js';
import type { OrderState, World, WorldOffering, WorldProductOrder, WorldServiceOrder } from '../../seed/world.js';
import type { Models, ProductOrderDoc, ProductOrderItemDoc, ServiceOrderDoc } from './models.js';

/**
 * Documents are complete and typed as the models' raw documents, so they go in without mongoose's
 * checks. Existing ids are skipped; a clash on another unique key (an idempotency key) throws.
 */
const INSERT: BulkInsertOptions = { validateFirstOfChunk: false, skip: 'duplicate-id' };

/** Service specification names by id: service orders carry the name in their spec reference. */
function serviceSpecificationNames(offerings: WorldOffering[]): Map<string, string> {
  return new Map(offerings.flatMap((o) => o.specification.serviceSpecifications.map((s) => [s.id, s.name] as const)));
}

/** The world's type lets an item be PARTIAL; the API cannot express it (a roll-up of several items). */
function itemState(state: OrderState, where: string): ProductOrderItemDoc['state'] {
  if (state === 'PARTIAL') throw new Error(`seed: ${where} has state PARTIAL, which only an order (not an item) can have`);
  return state;
}

// Documents are complete (every default spelled out): they are inserted without mongoose's help.

function toProductOrderDoc(order: WorldProductOrder, activatedAt: ReadonlyMap<string, Date | null>, now: Date): ProductOrderDoc {
  return {
    _id: order.id,
    externalId: order.externalId,
    customerId: order.customerId,
    billingAccountId: order.billingAccountId,
    state: order.state,
    priority: order.priority,
    orderDate: order.orderDate,
    requestedStartDate: null,
    completionDate: order.completionDate,
    cancellationReason: null,
    items: order.items.map((item) => ({
      id: item.id,
      action: item.action,
      state: itemState(item.state, `product order ${order.id} item ${item.id}`),
      quantity: 1,
      productOfferingId: item.productOfferingId,
      characteristics: item.characteristics,
      serviceId: item.serviceId,
      // What inventory holds: the order path answers Service.activatedAt for it (@provides).
      serviceActivatedAt: item.serviceId ? activatedAt.get(item.serviceId) ?? null : null,
    })),
    notes: [],
    createdAt: now,
    updatedAt: now,
  };
}

function toServiceOrderDoc(order: WorldServiceOrder, specNames: Map<string, string>, now: Date): ServiceOrderDoc {
  return {
    _id: order.id,
    productOrderId: order.productOrderId,
    state: order.state,
    orderDate: order.orderDate,
    completionDate: order.completionDate,
    items: order.items.map((item) => ({
      id: item.id,
      productOrderItemId: item.productOrderItemId,
      action: item.action,
      state: itemState(item.state, `service order ${order.id} item ${item.id}`),
      serviceId: item.serviceId,
      // A spec the catalog does not list still gets a readable reference rather than failing the seed.
      serviceSpecification: { id: item.serviceSpecificationId, name: specNames.get(item.serviceSpecificationId) ?? item.serviceSpecificationId },
      characteristics: item.characteristics,
    })),
    errorMessages: [],
    jeopardyAlerts: [],
    milestones: [],
    createdAt: now,
    updatedAt: now,
  };
}

/** Stores the world's product and service orders (existing ids are left as they are). */
export async function seed(models: Models, world: World, log?: (msg: string) => void): Promise<void> {
  const now = new Date();
  const specNames = serviceSpecificationNames(world.offerings);
  // Map everything first: an invalid world fails before anything is written.
  const activatedAt = new Map(world.services.map((svc) => [svc.id, svc.activatedAt]));
  const productOrders = world.productOrders.map((o) => toProductOrderDoc(o, activatedAt, now));
  const serviceOrders = world.serviceOrders.map((o) => toServiceOrderDoc(o, specNames, now));
  await Promise.all([insertChunked(models.ProductOrder, productOrders, INSERT), insertChunked(models.ServiceOrder, serviceOrders, INSERT)]);
  log?.(`order: ${productOrders.length} product orders, ${serviceOrders.length} service orders`);
}
