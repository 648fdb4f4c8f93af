import type mongoose from 'mongoose';
import { Schema, type InferRawDocTypeFromSchema } from 'mongoose';
import type { Plain } from '../../../kit/lean.js';

/** Lifecycle of a reservation: capacity held → service active, or → capacity given back. */
export const RESERVATION_STATES = ['RESERVED', 'ACTIVE', 'RELEASED'] as const;
export type ReservationState = (typeof RESERVATION_STATES)[number];

const SERVICE_STATES = ['FEASIBILITY_CHECKED', 'DESIGNED', 'RESERVED', 'INACTIVE', 'ACTIVE', 'TERMINATED'] as const;
/** TMF638 event types of the inventory outbox. */
export const INVENTORY_EVENT_TYPES = ['ServiceCreateEvent', 'ServiceStateChangeEvent'] as const;

const reservedCapacitySchema = new Schema(
  {
    resourceId: { type: String, required: true },
    category: { type: String, required: true },
    // What was added to the resource's `capacity.used`, and is subtracted again on release; 0
    // for a resource without capacity (or one whose unit a single service does not consume).
    amount: { type: Number, required: true, min: 0 },
    unit: { type: String, default: null },
  },
  { _id: false, id: false },
);

/**
 * One service order item's hold on the network (`reservations`), `_id` = the caller's
 * reservationId (`<serviceOrderId>/<serviceOrderItemId>`): the idempotency key that makes a
 * retried reservation return this one instead of taking capacity twice.
 */
const reservationSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: RESERVATION_STATES, required: true },
    serviceId: { type: String, required: true },
    customerId: { type: String, required: true },
    productOfferingId: { type: String, required: true },
    productOrderId: { type: String, default: null },
    serviceOrderId: { type: String, required: true },
    serviceOrderItemId: { type: String, required: true },
    // In the order of the request's resource specifications; the service's supportingResourceIds follow it.
    resources: { type: [reservedCapacitySchema], default: [] },
    // Fingerprint of the request, to tell a retry (same payload) from a reused id (CONFLICT).
    requestHash: { type: String, required: true },
    activatedAt: { type: Date, default: null },
    releasedAt: { type: Date, default: null },
    releaseReason: { type: String, default: null },
  },
  { collection: 'reservations', timestamps: true, versionKey: false },
);
// One reservation per service: the service was created by it.
reservationSchema.index({ serviceId: 1 }, { unique: true });

/**
 * The inventory outbox (`events`): one document per service state change, written in the
 * transaction that makes the change, read by the order saga and billing through the subgraph's
 * `/events` feed. `_id` = `eventId`.
 */
const inventoryEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, enum: INVENTORY_EVENT_TYPES, required: true },
    eventTime: { type: Date, required: true },
    // The reservationId: ties the event to the service order item that caused it.
    correlationId: { type: String, required: true },
    serviceId: { type: String, required: true },
    state: { type: String, enum: SERVICE_STATES, required: true },
    previousState: { type: String, enum: [...SERVICE_STATES, null], default: null },
    activatedAt: { type: Date, default: null },
    customerId: { type: String, required: true },
    productOfferingId: { type: String, required: true },
    productOrderId: { type: String, default: null },
    serviceOrderId: { type: String, required: true },
    serviceOrderItemId: { type: String, required: true },
    // TMF639 hrefs of the supporting resources, e.g. `/resource/gNB-001`.
    resourceRefs: { type: [String], default: [] },
  },
  { collection: 'events', versionKey: false },
);

/** A stored reservation as `lean()` returns it. */
export type ReservationDoc = Plain<InferRawDocTypeFromSchema<typeof reservationSchema>> & { _id: string; state: ReservationState };
/** One resource held by a reservation. */
export type ReservedCapacityDoc = ReservationDoc['resources'][number];
/** A stored inventory outbox event as `lean()` returns it. */
export type InventoryEventDoc = Plain<InferRawDocTypeFromSchema<typeof inventoryEventSchema>> & { _id: string };

/** The fulfilment models, bound to the inventory subgraph's connection. */
export interface FulfilmentModels {
  Reservation: mongoose.Model<ReservationDoc>;
  InventoryEvent: mongoose.Model<InventoryEventDoc>;
}

/** Binds the reservation and outbox models to the inventory subgraph's own connection. */
export function createFulfilmentModels(conn: mongoose.Connection): FulfilmentModels {
  return {
    Reservation: conn.model<ReservationDoc>('Reservation', reservationSchema),
    InventoryEvent: conn.model<InventoryEventDoc>('InventoryEvent', inventoryEventSchema),
  };
}
