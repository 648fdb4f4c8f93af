import { conflict } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import { checkReservationId } from './input.js';
import { isMade, type ReservationDoc } from './models.js';
import { recordServiceEvent, runInventoryTransaction } from './outbox.js';
import { loadReservation, moveReservation, releasedBeforeMade } from './reservations.js';

/**
 * `activateReservedService`: RESERVED → the service ACTIVE (`activatedAt` = `startDate` = now,
 * enabled), the reservation ACTIVE, and its `ServiceStateChangeEvent` — one transaction; billing
 * starts from that `activatedAt`. Already ACTIVE → the same answer, nothing written (the saga
 * retries after a lost reply). RELEASED → CONFLICT: the capacity is gone (a tombstone never had
 * any, nor a service). Two concurrent calls conflict on the reservation; the retried one finds
 * it ACTIVE.
 */
export async function activateReservedService(models: Models, reservationId: string): Promise<ReservationDoc> {
  const id = checkReservationId(reservationId);
  return runInventoryTransaction(models, async (session) => {
    const reservation = await loadReservation(models, session, id);
    if (reservation.state === 'ACTIVE') return reservation;
    if (!isMade(reservation)) throw conflict(`${releasedBeforeMade(id)}; there is no service to activate`);
    if (reservation.state === 'RELEASED') throw conflict(`reservation '${id}' was released; its service ${reservation.serviceId} cannot be activated`);
    const now = new Date();
    await moveReservation(
      models, session, reservation,
      { state: 'ACTIVE', set: { activatedAt: now } },
      { from: 'RESERVED', to: 'ACTIVE', set: { activatedAt: now, startDate: now, isServiceEnabled: true } },
    );
    await recordServiceEvent(models, session, reservation, { state: 'ACTIVE', previousState: 'RESERVED', at: now, activatedAt: now });
    return { ...reservation, state: 'ACTIVE', activatedAt: now };
  });
}
