import type { ClientSession } from 'mongoose';
import { conflict } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import { roundCapacity } from './demand.js';
import { checkReservationId } from './input.js';
import { isMade, type MadeReservationDoc, type ReservationDoc } from './models.js';
import { recordServiceEvent, runInventoryTransaction } from './outbox.js';
import { findReservation, isDuplicateKey, moveReservation } from './reservations.js';

/** Gives each resource back exactly what the reservation took from it (read and written in the transaction's snapshot). */
async function returnCapacity(models: Models, session: ClientSession, reservation: MadeReservationDoc): Promise<void> {
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
 * The tombstone of a reservationId released before inventory ever saw it: RELEASED, no service,
 * nothing held. Inserting it claims the id (`_id` is unique) for good, so the reserve call the
 * caller gave up on can no longer take capacity, whether it is still in flight or never arrives.
 */
function newTombstone(reservationId: string, reason: string | null, now: Date): ReservationDoc {
  return {
    _id: reservationId,
    state: 'RELEASED',
    serviceId: null,
    customerId: null,
    productOfferingId: null,
    productOrderId: null,
    serviceOrderId: null,
    serviceOrderItemId: null,
    resources: [],
    requestHash: null,
    activatedAt: null,
    releasedAt: now,
    releaseReason: reason,
    createdAt: now,
    updatedAt: now,
  };
}

/** One attempt of the release, in one transaction (retried on a write conflict by it). */
function releaseOnce(models: Models, id: string, reason: string | null): Promise<ReservationDoc> {
  return runInventoryTransaction(models, async (session) => {
    const reservation = await findReservation(models, session, id);
    const now = new Date();
    if (!reservation) {
      // A reserve of this id committing meanwhile inserts the same `_id`: whichever of the two
      // commits first wins, the other is a write conflict and runs again on a snapshot that
      // shows the winner — the reserve then refuses (reserve.ts), this release releases it.
      const tombstone = newTombstone(id, reason, now);
      await models.Reservation.create([tombstone], { session });
      return tombstone;
    }
    // Also a tombstone: it is RELEASED, and releasing it again writes nothing.
    if (reservation.state === 'RELEASED' || !isMade(reservation)) return reservation;
    if (reservation.state === 'ACTIVE') throw conflict(`reservation '${id}' is ACTIVE: service ${reservation.serviceId} is in service and is ended by a DELETE order, not released`);
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

/**
 * `releaseServiceReservation` (the saga's compensation): RESERVED → capacity returned, the
 * service TERMINATED (`endDate` = now, disabled), the reservation RELEASED, and its
 * `ServiceStateChangeEvent` — one transaction. Already RELEASED → the same answer, nothing
 * written (capacity is returned once). ACTIVE → CONFLICT: an active service is ended by a
 * MODIFY/DELETE order, never by compensation. Unknown → a tombstone, RELEASED: the saga may
 * give up on a slow reserve and compensate while that reserve is still in flight; answering
 * NOT_FOUND would let the reserve commit afterwards and hold its capacity forever.
 */
export async function releaseServiceReservation(models: Models, reservationId: string, reason: string | null): Promise<ReservationDoc> {
  const id = checkReservationId(reservationId);
  try {
    return await releaseOnce(models, id, reason);
  } catch (err) {
    // The tombstone lost to a reserve that committed after this snapshot, reported as E11000
    // (not retried by the transaction): that reservation is visible now and is released normally.
    if (!isDuplicateKey(err)) throw err;
    return releaseOnce(models, id, reason);
  }
}
