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
 * Whether the reservation being validated was made (took capacity and created its service). Only
 * a tombstone lacks a service and the request it would have come from: a reservationId released
 * before inventory ever saw it, stored RELEASED so that a reserve call of it still in flight can
 * never take capacity afterwards (release.ts). Mongoose calls it with the document as `this`.
 */
function madeReservation(this: { state?: unknown; serviceId?: unknown }): boolean {
  return this.state !== 'RELEASED' || this.serviceId != null;
}

/**
 * One service order item's hold on the network (`reservations`), `_id` = the caller's
 * reservationId (`<serviceOrderId>/<serviceOrderItemId>`): the idempotency key that makes a
 * retried reservation return this one instead of taking capacity twice. A tombstone (see
 * `madeReservation`) holds only `_id`, `state` RELEASED, `releasedAt` and `releaseReason`.
 */
const reservationSchema = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, enum: RESERVATION_STATES, required: true },
    serviceId: { type: String, required: madeReservation, default: null },
    customerId: { type: String, required: madeReservation, default: null },
    productOfferingId: { type: String, required: madeReservation, default: null },
    productOrderId: { type: String, default: null },
    serviceOrderId: { type: String, required: madeReservation, default: null },
    serviceOrderItemId: { type: String, required: madeReservation, default: null },
    // In the order of the request's resource specifications; the service's supportingResourceIds follow it.
    resources: { type: [reservedCapacitySchema], default: [] },
    // Fingerprint of the request, to tell a retry (same payload) from a reused id (CONFLICT).
    requestHash: { type: String, required: madeReservation, default: null },
    activatedAt: { type: Date, default: null },
    releasedAt: { type: Date, default: null },
    releaseReason: { type: String, default: null },
  },
  { collection: 'reservations', timestamps: true, versionKey: false },
);
/**
 * One reservation per service: the service was created by it. Partial, because tombstones have
 * no service and a plain unique index counts every missing serviceId as the same null. Named
 * apart from the plain index it replaces (`serviceId_1`): an index of the same name with other
 * options would fail start-up on a database that still has the old one (see
 * `prepareFulfilmentModels`, which drops it).
 */
export const RESERVATION_SERVICE_INDEX = 'serviceId_1_made';
const LEGACY_RESERVATION_SERVICE_INDEX = 'serviceId_1';
reservationSchema.index({ serviceId: 1 }, { unique: true, name: RESERVATION_SERVICE_INDEX, partialFilterExpression: { serviceId: { $type: 'string' } } });

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

/** A stored reservation as `lean()` returns it: a made one or a tombstone (`isMade` tells them apart). */
export type ReservationDoc = Plain<InferRawDocTypeFromSchema<typeof reservationSchema>> & { _id: string; state: ReservationState };
/** A reservation that was made: it took capacity and created its service (in any state since). */
export type MadeReservationDoc = ReservationDoc & {
  serviceId: string;
  customerId: string;
  productOfferingId: string;
  serviceOrderId: string;
  serviceOrderItemId: string;
  requestHash: string;
};
/** Whether `reservation` was made; false only for a tombstone (RELEASED before it was made: no service, nothing held). */
export const isMade = (reservation: ReservationDoc): reservation is MadeReservationDoc => reservation.serviceId != null;
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

/**
 * Storage migration, idempotent, for the inventory's `prepare` hook: databases created before
 * tombstones still hold the plain unique serviceId index, under which a second tombstone (null
 * serviceId, like the first) would be a duplicate key.
 */
export async function prepareFulfilmentModels(models: FulfilmentModels): Promise<void> {
  const indexes = await models.Reservation.collection.indexes();
  if (indexes.some((i) => i.name === LEGACY_RESERVATION_SERVICE_INDEX)) await models.Reservation.collection.dropIndex(LEGACY_RESERVATION_SERVICE_INDEX);
}
