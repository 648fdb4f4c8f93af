import type { ClientSession } from 'mongoose';
import { conflict, notFound } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import type { ReservationDoc, ReservationState } from './models.js';
import type { ServiceState } from './outbox.js';

/** The reservation read through `session` (in the transaction's snapshot); NOT_FOUND when there is none. */
export async function loadReservation(models: Models, session: ClientSession, reservationId: string): Promise<ReservationDoc> {
  const reservation = await models.Reservation.findById(reservationId).session(session).lean<ReservationDoc>();
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
  reservation: ReservationDoc,
  next: { state: ReservationState; set: Record<string, unknown> },
  service: { from: ServiceState; to: ServiceState; set: Record<string, unknown> },
): Promise<void> {
  const moved = await models.Reservation.updateOne({ _id: reservation._id, state: reservation.state }, { $set: { ...next.set, state: next.state } }, { session });
  if (moved.matchedCount !== 1) throw conflict(`reservation '${reservation._id}' changed concurrently; retry`);
  const res = await models.Service.updateOne({ _id: reservation.serviceId, state: service.from }, { $set: { ...service.set, state: service.to } }, { session });
  if (res.matchedCount !== 1) throw conflict(`service '${reservation.serviceId}' of reservation '${reservation._id}' is no longer ${service.from}`);
}
