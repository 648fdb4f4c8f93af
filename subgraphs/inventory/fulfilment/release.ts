import type { ClientSession } from 'mongoose';
import { conflict } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import { roundCapacity } from './demand.js';
import { checkReservationId } from './input.js';
import type { ReservationDoc } from './models.js';
import { recordServiceEvent, runInventoryTransaction } from './outbox.js';
import { loadReservation, moveReservation } from './reservations.js';

/** Gives each resource back exactly what the reservation took from it (read and written in the transaction's snapshot). */
async function returnCapacity(models: Models, session: ClientSession, reservation: ReservationDoc): Promise<void> {
  for (const held of reservation.resources) {
    if (held.amount === 0) continue;
    const resource = await models.Resource.findById(held.resourceId, { capacity: 1 }).session(session).lean();
    const used = resource?.capacity?.used;
    // A resource deleted or re-modelled without capacity since has nothing to give back to.
    if (used == null) continue;
    const res = await models.Resource.updateOne(
      { _id: held.resourceId, 'capacity.used': used },
      { $set: { 'capacity.used': Math.max(0, roundCapacity(used - held.amount)) } },
      { session },
    );
    if (res.matchedCount !== 1) throw conflict(`resource '${held.resourceId}' changed while reservation '${reservation._id}' was released; retry`);
  }
}

/**
 * `releaseServiceReservation` (the saga's compensation): RESERVED → capacity returned, the
 * service TERMINATED (`endDate` = now, disabled), the reservation RELEASED, and its
 * `ServiceStateChangeEvent` — one transaction. Already RELEASED → the same answer, nothing
 * written (capacity is returned once). ACTIVE → CONFLICT: an active service is ended by a
 * MODIFY/DELETE order, never by compensation.
 */
export async function releaseServiceReservation(models: Models, reservationId: string, reason: string | null): Promise<ReservationDoc> {
  const id = checkReservationId(reservationId);
  return runInventoryTransaction(models, async (session) => {
    const reservation = await loadReservation(models, session, id);
    if (reservation.state === 'RELEASED') return reservation;
    if (reservation.state === 'ACTIVE') throw conflict(`reservation '${id}' is ACTIVE: service ${reservation.serviceId} is in service and is ended by a DELETE order, not released`);
    const now = new Date();
    await returnCapacity(models, session, reservation);
    await moveReservation(
      models, session, reservation,
      { state: 'RELEASED', set: { releasedAt: now, releaseReason: reason } },
      { from: 'RESERVED', to: 'TERMINATED', set: { endDate: now, isServiceEnabled: false } },
    );
    await recordServiceEvent(models, session, reservation, { state: 'TERMINATED', previousState: 'RESERVED', at: now, activatedAt: null });
    return { ...reservation, state: 'RELEASED', releasedAt: now, releaseReason: reason };
  });
}
