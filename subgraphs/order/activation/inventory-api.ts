import type { AppConfig } from '../../../kit/config.js';
import { callSubgraph } from '../../../kit/remote.js';
import { refusal } from './failures.js';

/**
 * The inventory subgraph's reservation API (hidden from the supergraph, called at the subgraph's
 * own URL). Refusals come back as permanent StepFailures; transport failures throw
 * SUBGRAPH_UNAVAILABLE (transient).
 */

/** `ReserveServiceResourcesInput`: what one service order item reserves. */
export interface ReservationRequest {
  reservationId: string;
  customerId: string;
  productOfferingId: string;
  productOrderId: string | null;
  serviceOrderId: string;
  serviceOrderItemId: string;
  serviceSpecification: { id: string; name: string };
  characteristics: { name: string; value: string }[];
  resourceSpecifications: { id: string; name: string; category: string }[];
}

/** A resource a reservation holds (or would hold). */
export interface HeldResource {
  id: string;
  category: string;
}

export interface Reservation {
  id: string;
  state: 'RESERVED' | 'ACTIVE' | 'RELEASED';
  serviceId: string;
  /** When the service became ACTIVE; null until it has. */
  activatedAt: Date | null;
  resources: HeldResource[];
}

const RESERVATION_FIELDS = 'id state serviceId activatedAt resources { resource { id category } }';
interface RawReservation {
  id: string;
  state: Reservation['state'];
  serviceId: string;
  activatedAt: string | null;
  resources: { resource: HeldResource }[];
}
const toReservation = (r: RawReservation): Reservation => ({
  id: r.id, state: r.state, serviceId: r.serviceId, activatedAt: r.activatedAt ? new Date(r.activatedAt) : null, resources: r.resources.map((c) => c.resource),
});

async function call<T>(config: AppConfig, query: string, variables: Record<string, unknown>, field: string): Promise<T> {
  const { data, errors } = await callSubgraph<Record<string, T | null>>(config, 'inventory', query, variables);
  const value = data?.[field];
  if (errors.length || value == null) throw refusal(errors[0]?.code, `inventory ${field}: ${errors.map((e) => e.message).join('; ') || 'no answer'}`);
  return value;
}

/** Whether the reservation would succeed now; infeasible is a permanent RESOURCE_UNAVAILABLE. */
export async function checkFeasibility(config: AppConfig, input: ReservationRequest): Promise<void> {
  const answer = await call<{ feasible: boolean; reason: string | null }>(config,
    'query ($input: ReserveServiceResourcesInput!) { serviceFeasibility(input: $input) { feasible reason } }', { input }, 'serviceFeasibility');
  if (!answer.feasible) throw refusal('RESOURCE_UNAVAILABLE', answer.reason ?? 'no resource has room for the service');
}

/** Reserves (idempotent by `reservationId`). */
export async function reserve(config: AppConfig, input: ReservationRequest): Promise<Reservation> {
  return toReservation(await call<RawReservation>(config,
    `mutation ($input: ReserveServiceResourcesInput!) { reserveServiceResources(input: $input) { ${RESERVATION_FIELDS} } }`, { input }, 'reserveServiceResources'));
}

/** Activates the reserved service (idempotent); inventory writes its ServiceStateChangeEvent ACTIVE. */
export async function activate(config: AppConfig, reservationId: string): Promise<Reservation> {
  return toReservation(await call<RawReservation>(config,
    `mutation ($id: ID!) { activateReservedService(reservationId: $id) { ${RESERVATION_FIELDS} } }`, { id: reservationId }, 'activateReservedService'));
}

/**
 * Releases the reservation (compensation; idempotent). A reservation inventory never made (the
 * reserve call was lost or never sent) is NOT_FOUND: nothing to release, which is success here.
 */
export async function release(config: AppConfig, reservationId: string, reason: string): Promise<void> {
  try {
    await call<RawReservation>(config, `mutation ($id: ID!, $reason: String) { releaseServiceReservation(reservationId: $id, reason: $reason) { id state } }`,
      { id: reservationId, reason }, 'releaseServiceReservation');
  } catch (err) {
    if ((err as { code?: string }).code !== 'NOT_FOUND') throw err;
  }
}

/** The reservation as inventory holds it now; null when it never made it. */
export async function findReservation(config: AppConfig, reservationId: string): Promise<Reservation | null> {
  const { data, errors } = await callSubgraph<{ serviceReservation: RawReservation | null }>(config, 'inventory',
    `query ($id: ID!) { serviceReservation(id: $id) { ${RESERVATION_FIELDS} } }`, { id: reservationId });
  if (errors.length) throw refusal(errors[0].code, `inventory serviceReservation: ${errors.map((e) => e.message).join('; ')}`);
  return data?.serviceReservation ? toReservation(data.serviceReservation) : null;
}
