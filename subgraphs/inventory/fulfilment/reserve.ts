import { randomUUID } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import { conflict, resourceUnavailable } from '../../../kit/errors.js';
import type { Plain } from '../../../kit/lean.js';
import type { Models, ServiceDoc } from '../models.js';
import { roundCapacity } from './demand.js';
import { checkReservationInput, type ReservationRequest, type ReserveServiceResourcesInput } from './input.js';
import { isMade, type MadeReservationDoc, type ReservationDoc } from './models.js';
import { recordServiceEvent, runInventoryTransaction } from './outbox.js';
import { inCapacityQueue } from './capacity-queue.js';
import { placeResources, type Placement } from './placement.js';
import { isDuplicateKey, releasedBeforeMade } from './reservations.js';

/**
 * The answer to a reservationId that is taken: the stored reservation when the request is the
 * same (a retry, whatever state it reached since), CONFLICT when it differs (the id was reused
 * for another item — answering with the original would tell the caller the wrong service was
 * built), and CONFLICT for a tombstone: its caller released it before it was made, so this
 * reserve is one it gave up on, and making it now would orphan the capacity.
 */
export function answerRetry(existing: ReservationDoc, request: ReservationRequest): MadeReservationDoc {
  if (!isMade(existing)) throw conflict(releasedBeforeMade(existing._id));
  if (existing.requestHash !== request.hash) {
    throw conflict(`reservationId '${existing._id}' was already used for a different request (service ${existing.serviceId}); use one id per service order item`);
  }
  return existing;
}

/**
 * Adds each placement's demand to its resource's `capacity.used`, never beyond `total`. The
 * placement was read in the transaction's snapshot and the update is guarded on exactly what
 * was read: a concurrent reservation that committed on the same resource since makes this write
 * a WriteConflict, and the transaction is retried on a fresh snapshot where it chooses again
 * (or finds no room). The guard not matching means the capacity changed in a way the snapshot
 * did not show: refuse rather than overbook.
 */
async function takeCapacity(models: Models, session: ClientSession, placements: readonly Placement[]): Promise<void> {
  for (const { resourceId, category, amount, capacity } of placements) {
    if (amount === 0 || !capacity) continue;
    const res = await models.Resource.updateOne(
      { _id: resourceId, 'capacity.total': capacity.total, 'capacity.used': capacity.used },
      { $set: { 'capacity.used': roundCapacity(capacity.used + amount) } },
      { session },
    );
    if (res.matchedCount !== 1) throw resourceUnavailable(`no ${category} resource has capacity left: ${resourceId} changed meanwhile`);
  }
}

function newService(request: ReservationRequest, serviceId: string, placements: readonly Placement[], now: Date): Plain<ServiceDoc> {
  return {
    _id: serviceId,
    name: `${request.serviceSpecification.name} ${serviceId}`,
    category: 'CUSTOMER_FACING',
    state: 'RESERVED',
    serviceSpecification: request.serviceSpecification,
    characteristics: request.characteristics,
    activatedAt: null,
    startDate: null,
    endDate: null,
    isServiceEnabled: false,
    customerId: request.customerId,
    productOfferingId: request.productOfferingId,
    supportingResourceIds: placements.map((p) => p.resourceId),
    supportingServiceIds: [],
    createdAt: now,
    updatedAt: now,
  };
}

function newReservation(request: ReservationRequest, serviceId: string, placements: readonly Placement[], now: Date): MadeReservationDoc {
  return {
    _id: request.reservationId,
    state: 'RESERVED',
    serviceId,
    customerId: request.customerId,
    productOfferingId: request.productOfferingId,
    productOrderId: request.productOrderId,
    serviceOrderId: request.serviceOrderId,
    serviceOrderItemId: request.serviceOrderItemId,
    resources: placements.map((p) => ({ resourceId: p.resourceId, category: p.category, amount: p.amount, unit: p.unit })),
    requestHash: request.hash,
    activatedAt: null,
    releasedAt: null,
    releaseReason: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * `reserveServiceResources`: chooses the resources (placement.ts), takes their capacity, creates
 * the service RESERVED, stores the reservation and its `ServiceCreateEvent` — one transaction.
 * A known reservationId answers with the stored reservation and writes nothing; two concurrent
 * calls with one id conflict on the reservation's `_id`, and the retried loser finds the winner's.
 * So does a concurrent release of the id (release.ts): when its tombstone wins, this call finds
 * it and is refused (CONFLICT), its service, event and capacity rolled back with the transaction.
 */
export async function reserveServiceResources(models: Models, input: ReserveServiceResourcesInput): Promise<ReservationDoc> {
  const request = checkReservationInput(input);
  try {
    return await inCapacityQueue(models, `${request.reservationId}\0${request.hash}`, () => runInventoryTransaction(models, async (session) => {
      const existing = await models.Reservation.findById(request.reservationId).session(session).lean<ReservationDoc>();
      if (existing) return answerRetry(existing, request);
      const placements = await placeResources(models, session, request);
      const now = new Date();
      const serviceId = `svc-${randomUUID()}`;
      const reservation = newReservation(request, serviceId, placements, now);
      await models.Service.create([newService(request, serviceId, placements, now)], { session });
      await models.Reservation.create([reservation], { session });
      await recordServiceEvent(models, session, reservation, { state: 'RESERVED', previousState: null, at: now, activatedAt: null });
      // Last: the resource stays claimed from this write to the commit, and every concurrent
      // reservation of it fails (and backs off) meanwhile, so the claim is held as briefly as possible.
      await takeCapacity(models, session, placements);
      return reservation;
    }));
  } catch (err) {
    // A real replica set may report the `_id` clash of a concurrent twin (or tombstone) as E11000
    // rather than a write conflict; the transaction was aborted, so nothing of this call was kept.
    if (!isDuplicateKey(err)) throw err;
    const winner = await models.Reservation.findById(request.reservationId).lean<ReservationDoc>();
    if (!winner) throw err;
    return answerRetry(winner, request);
  }
}
