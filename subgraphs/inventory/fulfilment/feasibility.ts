import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import { checkReservationInput, type ReserveServiceResourcesInput } from './input.js';
import { isMade, type ReservationDoc, type ReservedCapacityDoc } from './models.js';
import { placeResources } from './placement.js';
import { answerRetry } from './reserve.js';

/** The answer of `serviceFeasibility`. */
export interface Feasibility {
  feasible: boolean;
  reason: string | null;
  /** What a reservation would take now (or took, for a known reservationId); empty when not feasible. */
  resources: ReservedCapacityDoc[];
}

/**
 * `serviceFeasibility`: would `reserveServiceResources` with this input succeed now? Runs the
 * same placement without writing anything. A reservationId that already holds its capacity is
 * feasible with what it holds — a saga resuming at its feasibility step after it reserved must
 * not be told its own reservation made the network full. Bad input is refused as by the reservation.
 */
export async function checkFeasibility(models: Models, input: ReserveServiceResourcesInput): Promise<Feasibility> {
  const request = checkReservationInput(input);
  const existing = await models.Reservation.findById(request.reservationId).lean<ReservationDoc>();
  if (existing) {
    // A tombstone (released before it was made) is released like any other, whatever was asked.
    if (!isMade(existing)) return { feasible: false, reason: `reservation '${existing._id}' was released`, resources: [] };
    answerRetry(existing, request);
    if (existing.state === 'RELEASED') return { feasible: false, reason: `reservation '${existing._id}' was released`, resources: [] };
    return { feasible: true, reason: null, resources: existing.resources };
  }
  try {
    const placements = await placeResources(models, null, request);
    return { feasible: true, reason: null, resources: placements.map((p) => ({ resourceId: p.resourceId, category: p.category, amount: p.amount, unit: p.unit })) };
  } catch (err) {
    if (err instanceof GraphQLError && err.extensions.code === ErrorCode.RESOURCE_UNAVAILABLE) return { feasible: false, reason: err.message, resources: [] };
    throw err;
  }
}
