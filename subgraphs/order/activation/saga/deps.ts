import type { AppConfig } from '../../../../kit/config.js';
import type { Models, ServiceOrderDoc, ServiceOrderItemDoc } from '../../models.js';
import type { ActivationOrderRef, SimulatedNetwork } from '../adapters/index.js';
import type { ReservationRequest } from '../inventory-api.js';

/** What the saga of one instance works with. */
export interface SagaDeps {
  models: Models;
  /** Shared and read late: other subgraphs' URLs may be filled in after this one started. */
  config: AppConfig;
  network: SimulatedNetwork;
  /** This instance's identity in leases and the attempt log (random per start). */
  owner: string;
  log: (msg: string) => void;
}

/** A service order item the saga runs (seeded history has no saga). */
export type SagaItem = ServiceOrderItemDoc & { saga: NonNullable<ServiceOrderItemDoc['saga']> };
/** Where an item's saga is. */
export type SagaStepName = SagaItem['saga']['step'];
/** The four steps that act on the network, in order. */
export type WorkStep = 'FEASIBILITY' | 'RESERVATION' | 'CONFIGURATION' | 'ACTIVATION';
export const WORK_STEPS: readonly WorkStep[] = ['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION'];
export const isWorkStep = (step: SagaStepName): step is WorkStep => (WORK_STEPS as readonly string[]).includes(step);

export const hasSaga = (item: ServiceOrderItemDoc): item is SagaItem => item.saga != null;

/**
 * The reservation's idempotency key: the same for every attempt at the item, by any instance,
 * so inventory never reserves twice for one item.
 */
export const reservationIdOf = (serviceOrderId: string, itemId: string): string => `${serviceOrderId}/${itemId}`;

/** What fault rules match on and the adapters log. */
export function orderRef(order: ServiceOrderDoc, item: SagaItem): ActivationOrderRef {
  return {
    productOrderId: order.productOrderId ?? null,
    serviceOrderId: order._id,
    externalId: order.externalId ?? null,
    customerId: order.customerId ?? '',
    productOfferingId: item.productOfferingId ?? null,
  };
}

/** The inventory request of an item, entirely from the stored order: every retry sends the same. */
export function reservationRequest(order: ServiceOrderDoc, item: SagaItem): ReservationRequest {
  return {
    reservationId: reservationIdOf(order._id, item.id),
    customerId: order.customerId ?? '',
    productOfferingId: item.productOfferingId ?? '',
    productOrderId: order.productOrderId ?? null,
    serviceOrderId: order._id,
    serviceOrderItemId: item.id,
    serviceSpecification: { id: item.serviceSpecification.id, name: item.serviceSpecification.name },
    characteristics: item.characteristics.map((c) => ({ name: c.name, value: c.value })),
    resourceSpecifications: (item.resourceSpecifications ?? []).map((r) => ({ id: r.id, name: r.name, category: r.category })),
  };
}

/** Waits `ms`; resolves false at once when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve(!signal?.aborted);
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done);
  });
}

/** Backoff of the n-th retry (from 0): 100 ms doubling up to `capMs`. */
export const backoff = (n: number, capMs = 2_000): number => Math.min(100 * 2 ** n, capMs);
