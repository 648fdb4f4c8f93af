import type { ReservationDoc, ReservedCapacityDoc } from '../fulfilment/models.js';
import type { InventoryContext } from './context.js';

/** Field resolvers of `ServiceReservation` over a stored reservation. */
export const ServiceReservation = {
  id: (reservation: ReservationDoc) => reservation._id,
  // Null for a tombstone: released before it was made, it never created a service.
  serviceId: (reservation: ReservationDoc) => reservation.serviceId ?? null,
  service: (reservation: ReservationDoc, _args: unknown, ctx: InventoryContext) =>
    reservation.serviceId == null ? null : ctx.loaders.serviceById.load(reservation.serviceId),
};

/** Field resolvers of `ReservedCapacity` over one held resource. */
export const ReservedCapacity = {
  resource: (held: ReservedCapacityDoc, _args: unknown, ctx: InventoryContext) => ctx.loaders.resourceById.load(held.resourceId),
  unit: (held: ReservedCapacityDoc) => held.unit ?? null,
};
