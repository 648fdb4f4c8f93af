import mongoose, { Schema, type InferRawDocTypeFromSchema } from 'mongoose';
import type { Plain } from '../../kit/lean.js';
import { resourceSpecificationRefSchema, sagaSchema } from './saga-model.js';

export { SAGA_STEPS } from './saga-model.js';

// Enum spellings are the GraphQL ones (SCREAMING_SNAKE), so documents map to the API without translation.
/** States of an order item (TMF622/TMF641): an order's states minus `PARTIAL`, a roll-up over several items. */
export const ITEM_STATES = [
  'ACKNOWLEDGED', 'REJECTED', 'PENDING', 'HELD', 'IN_PROGRESS', 'CANCELLED', 'COMPLETED', 'FAILED',
  'ASSESSING_CANCELLATION', 'PENDING_CANCELLATION',
] as const;
/** States of a product or service order (TMF622 and TMF641 share them). */
export const ORDER_STATES = [...ITEM_STATES, 'PARTIAL'] as const;
const ITEM_ACTIONS = ['ADD', 'MODIFY', 'DELETE', 'NO_CHANGE'] as const;

const characteristicSchema = new Schema(
  { name: { type: String, required: true }, value: { type: String, required: true } },
  { _id: false, id: false },
);

const productOrderItemSchema = new Schema(
  {
    id: { type: String, required: true }, // unique within its order, e.g. `1`
    action: { type: String, enum: ITEM_ACTIONS, required: true },
    state: { type: String, enum: ITEM_STATES, required: true },
    quantity: { type: Number, required: true, min: 1, default: 1 },
    productOfferingId: { type: String, required: true },
    characteristics: { type: [characteristicSchema], default: [] },
    // Set once inventory has created the service; activation events find the item through it.
    serviceId: { type: String, default: null },
    // When inventory confirmed that service ACTIVE (the OSS → BSS confirmation): the item's
    // `service { activatedAt }` is answered from here, saving a trip to inventory (@provides).
    serviceActivatedAt: { type: Date, default: null },
  },
  { _id: false, id: false },
);

const noteSchema = new Schema(
  { author: { type: String, default: null }, date: { type: Date, required: true }, text: { type: String, required: true } },
  { _id: false, id: false },
);

const productOrderSchema = new Schema(
  {
    _id: { type: String, required: true }, // the TMF id: it is the federation key
    // The client's idempotency key; absent for orders created without one (see the partial index).
    externalId: { type: String },
    customerId: { type: String, required: true },
    billingAccountId: { type: String, default: null },
    state: { type: String, enum: ORDER_STATES, required: true },
    priority: { type: Number, min: 0, max: 4, default: null },
    orderDate: { type: Date, required: true },
    requestedStartDate: { type: Date, default: null },
    completionDate: { type: Date, default: null },
    cancellationReason: { type: String, default: null },
    // As the client gave it at submission; billing reads it from the order's API.
    paymentMethod: { type: String },
    items: { type: [productOrderItemSchema], default: [] },
    notes: { type: [noteSchema], default: [] },
    // Number of outbox events recorded for the order (the version of the last one): every state
    // change bumps it in the transaction that writes its event. Absent (= 0) on seeded orders,
    // which carry no event history.
    version: { type: Number, min: 0 },
    // Fingerprint of the submission (customer, items, options) for idempotent retries: a repeat
    // with the same key and another payload is told apart from a true retry.
    submissionHash: { type: String },
  },
  { collection: 'productOrders', timestamps: true, versionKey: false },
);
// A resubmission with the same key must find the original instead of inserting a twin; the
// unique index makes that hold under concurrent submissions too. Keys are the client's, so they
// are unique per customer (two customers may both use `order-1`). Partial, so orders without a
// key (or with a null one) never collide with each other.
productOrderSchema.index({ customerId: 1, externalId: 1 }, { unique: true, partialFilterExpression: { externalId: { $type: 'string' } } });
/** The index the idempotency key had before it became unique per customer; `prepareModels` drops it. */
const GLOBAL_KEY_INDEX = 'externalId_1';
// `productOrders` pages newest first (ties broken by id), unfiltered or by customer or state;
// `Customer.productOrders` batch-loads by customer in the same order.
productOrderSchema.index({ orderDate: -1, _id: -1 });
productOrderSchema.index({ customerId: 1, orderDate: -1, _id: -1 });
productOrderSchema.index({ state: 1, orderDate: -1, _id: -1 });
// Service activation events name the service: find the order item it realises.
productOrderSchema.index({ 'items.serviceId': 1 });

const serviceSpecificationRefSchema = new Schema(
  { id: { type: String, required: true }, name: { type: String, required: true } },
  { _id: false, id: false },
);

const serviceOrderItemSchema = new Schema(
  {
    id: { type: String, required: true },
    // The product order item this service order item realises (TMF641 externalReference, per item).
    productOrderItemId: { type: String, default: null },
    action: { type: String, enum: ITEM_ACTIONS, required: true },
    state: { type: String, enum: ITEM_STATES, required: true },
    serviceId: { type: String, default: null },
    serviceSpecification: { type: serviceSpecificationRefSchema, required: true },
    characteristics: { type: [characteristicSchema], default: [] },
    // From the catalog at decomposition: what the service is sold as and the resources it needs.
    productOfferingId: { type: String },
    resourceSpecifications: { type: [resourceSpecificationRefSchema], default: undefined },
    // Absent on orders the saga does not run (seeded history).
    saga: { type: sagaSchema },
  },
  { _id: false, id: false },
);

const errorMessageSchema = new Schema(
  {
    code: { type: String, required: true },
    message: { type: String, required: true },
    timestamp: { type: Date, required: true },
    itemId: { type: String, default: null },
  },
  { _id: false, id: false },
);

const jeopardyAlertSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    jeopardyType: { type: String, required: true },
    message: { type: String, default: null },
    alertDate: { type: Date, required: true },
    itemId: { type: String, default: null },
  },
  { _id: false, id: false },
);

const milestoneSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    description: { type: String, default: null },
    milestoneDate: { type: Date, required: true },
    status: { type: String, required: true },
    itemId: { type: String, default: null },
  },
  { _id: false, id: false },
);

const serviceOrderSchema = new Schema(
  {
    _id: { type: String, required: true },
    // Null when the network requested the service order directly.
    productOrderId: { type: String, default: null },
    state: { type: String, enum: ORDER_STATES, required: true },
    orderDate: { type: Date, required: true },
    completionDate: { type: Date, default: null },
    items: { type: [serviceOrderItemSchema], default: [] },
    errorMessages: { type: [errorMessageSchema], default: [] },
    jeopardyAlerts: { type: [jeopardyAlertSchema], default: [] },
    milestones: { type: [milestoneSchema], default: [] },
    // Copied from the product order at decomposition: events and fault rules need them.
    customerId: { type: String },
    externalId: { type: String },
    cancellationReason: { type: String },
    // Number of outbox events of the service order (see the product order's `version`).
    version: { type: Number, min: 0 },
    // The saga lease: the instance `owner` runs the order until `until`, renewing it while it
    // works; an instance that dies lets it expire and another takes over.
    claim: { type: new Schema({ owner: { type: String, default: null }, until: { type: Date, required: true } }, { _id: false, id: false }) },
    // When the order next needs the saga (a new order, an expired lease, a confirmation overdue);
    // absent when nothing is to be done. The periodic sweep looks for these.
    sagaWakeAt: { type: Date },
  },
  { collection: 'serviceOrders', timestamps: true, versionKey: false },
);
// `ProductOrder.serviceOrders` batch-loads by product order, oldest first.
serviceOrderSchema.index({ productOrderId: 1, orderDate: 1, _id: 1 });
// The saga's sweep: orders due for work. Sparse in practice: the field goes once an order is idle.
serviceOrderSchema.index({ sagaWakeAt: 1 }, { partialFilterExpression: { sagaWakeAt: { $exists: true } } });
// Inventory reports progress per service: find the service order item that builds it.
serviceOrderSchema.index({ 'items.serviceId': 1 });

/** TMF event types of product orders in the order outbox. */
export const PRODUCT_ORDER_EVENT_TYPES = ['ProductOrderCreateEvent', 'ProductOrderStateChangeEvent'] as const;
/** TMF event types of service orders in the order outbox. */
export const SERVICE_ORDER_EVENT_TYPES = ['ServiceOrderCreateEvent', 'ServiceOrderStateChangeEvent', 'ServiceOrderJeopardyEvent'] as const;
/** TMF event types of the order outbox. */
export const ORDER_EVENT_TYPES = [...PRODUCT_ORDER_EVENT_TYPES, ...SERVICE_ORDER_EVENT_TYPES] as const;

/**
 * What a product order's final event says of each of its items, so the reactions to it (the CRM
 * note a CSR reads) can tell which services went live and why an item failed without calling back.
 */
const eventItemSchema = new Schema(
  {
    id: { type: String, required: true },
    state: { type: String, enum: ITEM_STATES, required: true },
    serviceId: { type: String, default: null },
    failureReason: { type: String, default: null },
  },
  { _id: false, id: false },
);

/**
 * The order subgraph's outbox (`events`): one document per product or service order event,
 * written in the transaction that makes the change. Subscriptions and other subgraphs' reactions read it
 * through change streams; `version` numbers an order's events 1, 2, … without gaps.
 */
const orderEventSchema = new Schema(
  {
    _id: { type: String, required: true }, // `<productOrderId>:<version>` or `<serviceOrderId>:<version>`
    eventId: { type: String, required: true }, // TMF envelope: globally unique, consumers dedupe on it
    eventType: { type: String, enum: ORDER_EVENT_TYPES, required: true },
    // A product order's events carry its id; a service order's carry its own id and, unless the
    // network ordered it directly, the product order it serves.
    productOrderId: { type: String },
    serviceOrderId: { type: String },
    customerId: { type: String, default: null },
    // Position in the history of the order the event is about (the service order for its events).
    version: { type: Number, required: true, min: 1 },
    state: { type: String, enum: ORDER_STATES, required: true },
    previousState: { type: String, enum: [...ORDER_STATES, null], default: null },
    at: { type: Date, required: true }, // TMF eventTime
    correlationId: { type: String, default: null },
    // The alert a ServiceOrderJeopardyEvent raises.
    jeopardyAlert: { type: jeopardyAlertSchema },
    // A product order's terminal event (COMPLETED, FAILED, PARTIAL, CANCELLED): its items as they ended,
    // and the reason given for a cancellation.
    items: { type: [eventItemSchema], default: undefined },
    cancellationReason: { type: String },
  },
  { collection: 'events', versionKey: false },
);
// One event per version of an order (a second writer of the same version fails), and the indexes
// that replay an order's history in version order. A product order's events are the ones without
// a serviceOrderId (a missing field is indexed as null), so the product order's key includes it;
// each index is partial on its order's id. `$exists` rather than `$type`: an equality query
// provably implies it, so planners (ours and mongod's) use the index for the replay.
orderEventSchema.index({ productOrderId: 1, serviceOrderId: 1, version: 1 }, { unique: true, partialFilterExpression: { productOrderId: { $exists: true } } });
orderEventSchema.index({ serviceOrderId: 1, version: 1 }, { unique: true, partialFilterExpression: { serviceOrderId: { $exists: true } } });
/** The product order history index before service order events shared the outbox; `prepareModels` drops it. */
const PRODUCT_ORDER_EVENTS_INDEX = 'productOrderId_1_version_1';

/** One stored outbox event as `lean()` returns it. */
export type OrderEventDoc = Plain<InferRawDocTypeFromSchema<typeof orderEventSchema>> & { _id: string };

/** A stored product order as `lean()` returns it. */
export type ProductOrderDoc = Plain<InferRawDocTypeFromSchema<typeof productOrderSchema>> & { _id: string };
/** One stored product order item. */
export type ProductOrderItemDoc = ProductOrderDoc['items'][number];
/** A stored service order as `lean()` returns it. */
export type ServiceOrderDoc = Plain<InferRawDocTypeFromSchema<typeof serviceOrderSchema>> & { _id: string };
/** One stored service order item. */
export type ServiceOrderItemDoc = ServiceOrderDoc['items'][number];

/** Binds the order subgraph's models to its own connection (never the global mongoose). */
export function createModels(conn: mongoose.Connection) {
  return {
    ProductOrder: conn.model('ProductOrder', productOrderSchema),
    ServiceOrder: conn.model('ServiceOrder', serviceOrderSchema),
    OrderEvent: conn.model('OrderEvent', orderEventSchema),
  };
}

/**
 * Storage migrations, idempotent, run before serving: databases created before the idempotency
 * key became unique per customer still hold the global unique index, which would refuse a second
 * customer's `order-1`; those created before service order events still hold the old history index.
 */
export async function prepareModels(models: Models): Promise<void> {
  const indexes = await models.ProductOrder.collection.indexes();
  if (indexes.some((i) => i.name === GLOBAL_KEY_INDEX)) await models.ProductOrder.collection.dropIndex(GLOBAL_KEY_INDEX);
  // Unique per (product order, version): a service order event naming the same product order
  // with the same version would clash with it.
  const eventIndexes = await models.OrderEvent.collection.indexes();
  if (eventIndexes.some((i) => i.name === PRODUCT_ORDER_EVENTS_INDEX)) await models.OrderEvent.collection.dropIndex(PRODUCT_ORDER_EVENTS_INDEX);
}

/** The order subgraph's models. */
export type Models = ReturnType<typeof createModels>;
