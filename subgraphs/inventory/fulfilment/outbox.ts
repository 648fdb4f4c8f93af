import { randomUUID } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import type { Models, ServiceDoc } from '../models.js';
import type { InventoryEventDoc, MadeReservationDoc } from './models.js';

/**
 * The transactional outbox of the inventory subgraph: every service state change made by
 * fulfilment is written together with its TMF638 event (collection `events`) in ONE
 * transaction, so the saga and billing never see an activation without its event nor an event
 * without its activation. Exactly once per change: the change itself is guarded (a state moves
 * from one value to the next once), and the event is written in the same commit.
 */

/** A service state (the GraphQL spelling). */
export type ServiceState = ServiceDoc['state'];

/**
 * Runs `fn` in one transaction on the inventory database. Write conflicts (two reservations on
 * one resource, two calls for one reservation) abort it with TransientTransactionError and
 * mongoose retries it from the start on a fresh snapshot, so `fn` must do nothing but database
 * work through `session`.
 */
export function runInventoryTransaction<T>(models: Models, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  return models.Service.db.transaction(fn);
}

/** A service state change to record. */
export interface ServiceChange {
  state: ServiceState;
  previousState: ServiceState | null;
  at: Date;
  /** The service's `activatedAt` after the change. */
  activatedAt: Date | null;
}

/** The event of `change` to the service `reservation` created; `ServiceCreateEvent` when there was no previous state. */
export function serviceEvent(reservation: MadeReservationDoc, change: ServiceChange): InventoryEventDoc {
  const eventId = randomUUID();
  return {
    _id: eventId,
    eventId,
    eventType: change.previousState === null ? 'ServiceCreateEvent' : 'ServiceStateChangeEvent',
    eventTime: change.at,
    correlationId: reservation._id,
    serviceId: reservation.serviceId,
    state: change.state,
    previousState: change.previousState,
    activatedAt: change.activatedAt,
    customerId: reservation.customerId,
    productOfferingId: reservation.productOfferingId,
    productOrderId: reservation.productOrderId ?? null,
    serviceOrderId: reservation.serviceOrderId,
    serviceOrderItemId: reservation.serviceOrderItemId,
    resourceRefs: reservation.resources.map((r) => `/resource/${r.resourceId}`),
  };
}

/** Appends the event of `change` through `session`: call it inside `runInventoryTransaction`, with the change. */
export async function recordServiceEvent(models: Models, session: ClientSession, reservation: MadeReservationDoc, change: ServiceChange): Promise<InventoryEventDoc> {
  const event = serviceEvent(reservation, change);
  await models.InventoryEvent.create([event], { session });
  return event;
}
