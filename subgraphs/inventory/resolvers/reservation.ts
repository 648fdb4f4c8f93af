import type { ReservationDoc, ReservedCapacityDoc } from '../fulfilment/models.js';
import type { InventoryContext } from './context.js';

/** Field resolvers of `ServiceReservation` over a stored reservation. */
export const ServiceReservation = {
  id: (reservation: ReservationDoc) => reservation._id,
  service: (reservation: ReservationDoc, _args: unknown, ctx: InventoryContext) => ctx.loaders.serviceById.load(reservation.serviceId),
};

/** Field resolvers of `ReservedCapacity` over one held resource. */
export const ReservedCapacity = {
  resource: (held: ReservedCapacityDoc, _args: unknown, ctx: InventoryContext) => ctx.loaders.resourceById.load(held.resourceId),
  unit: (held: ReservedCapacityDoc) => held.unit ?? null,
};
