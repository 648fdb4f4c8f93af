import { activateReservedService } from '../fulfilment/activate.js';
import type { ReserveServiceResourcesInput } from '../fulfilment/input.js';
import { isMade, type ReservationDoc } from '../fulfilment/models.js';
import { releaseServiceReservation } from '../fulfilment/release.js';
import { reserveServiceResources } from '../fulfilment/reserve.js';
import type { InventoryContext } from './context.js';

/** The request's loaders may hold what the command just changed: forget it, keep the new reservation. */
function touched(ctx: InventoryContext, reservation: ReservationDoc): ReservationDoc {
  // A tombstone (released before it was made) touched no service and no customer.
  if (isMade(reservation)) {
    ctx.loaders.serviceById.clear(reservation.serviceId);
    ctx.loaders.servicesByCustomer.clear(reservation.customerId);
  }
  for (const r of reservation.resources) ctx.loaders.resourceById.clear(r.resourceId);
  ctx.loaders.reservationById.clear(reservation._id).prime(reservation._id, reservation);
  return reservation;
}

/** The inventory subgraph's mutation root: the fulfilment commands (fulfilment/), hidden from the supergraph. */
export const Mutation = {
  reserveServiceResources: async (_: unknown, args: { input: ReserveServiceResourcesInput }, ctx: InventoryContext) =>
    touched(ctx, await reserveServiceResources(ctx.models, args.input)),
  activateReservedService: async (_: unknown, args: { reservationId: string }, ctx: InventoryContext) =>
    touched(ctx, await activateReservedService(ctx.models, args.reservationId)),
  releaseServiceReservation: async (_: unknown, args: { reservationId: string; reason?: string | null }, ctx: InventoryContext) =>
    touched(ctx, await releaseServiceReservation(ctx.models, args.reservationId, args.reason ?? null)),
};
