import type { ClientSession } from 'mongoose';
import { conflict, notFound } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import type { MadeReservationDoc, ReservationDoc, ReservationState } from './models.js';
import type { ServiceState } from './outbox.js';

/** MongoDB's duplicate key error code. */
const DUPLICATE_KEY = 11000;

/**
 * Whether `err` is a duplicate key. Two transactions inserting one reservation `_id` (twin
 * reserves, or a reserve and a release's tombstone) normally clash as a WriteConflict, which the
 * transaction retries; a real replica set may report the clash as E11000 instead, which the
 * transaction does not retry, so the caller must.
 */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === DUPLICATE_KEY;

/** Why a tombstone's id can no longer be reserved or activated. */
export const releasedBeforeMade = (reservationId: string): string =>
  `reservation '${reservationId}' was released before it was made: the caller gave up on it, so it can take no capacity and create no service`;

/** The reservation read through `session` (in the transaction's snapshot); null when there is none. */
export function findReservation(models: Models, session: ClientSession, reservationId: string): Promise<ReservationDoc | null> {
  return models.Reservation.findById(reservationId).session(session).lean<ReservationDoc>().exec();
}

/** The reservation read through `session` (in the transaction's snapshot); NOT_FOUND when there is none. */
export async function loadReservation(models: Models, session: ClientSession, reservationId: string): Promise<ReservationDoc> {
  const reservation = await findReservation(models, session, reservationId);
  if (!reservation) throw notFound('reservation', reservationId);
  return reservation;
}

/**
 * Moves the reservation and its service on together, through `session`. Both updates are
 * guarded by the state the caller read: inside a transaction a concurrent change is a write
 * conflict (retried), so a guard that does not match means the service was changed outside
 * fulfilment (e.g. terminated by another order) — CONFLICT rather than overwrite it.
 */
export async function moveReservation(
  models: Models,
  session: ClientSession,
  reservation: MadeReservationDoc,
  next: { state: ReservationState; set: Record<string, unknown> },
  service: { from: ServiceState; to: ServiceState; set: Record<string, unknown> },
): Promise<void> {
  const moved = await models.Reservation.updateOne({ _id: reservation._id, state: reservation.state }, { $set: { ...next.set, state: next.state } }, { session });
  if (moved.matchedCount !== 1) throw conflict(`reservation '${reservation._id}' changed concurrently; retry`);
  const res = await models.Service.updateOne({ _id: reservation.serviceId, state: service.from }, { $set: { ...service.set, state: service.to } }, { session });
  if (res.matchedCount !== 1) throw conflict(`service '${reservation.serviceId}' of reservation '${reservation._id}' is no longer ${service.from}`);
}
