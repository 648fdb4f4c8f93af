import type { ServiceOrderDoc } from '../../models.js';
import { adapterFor, type ConfigureRequest } from '../adapters/index.js';
import { activate, checkFeasibility, reserve } from '../inventory-api.js';
import { StepFailure } from '../failures.js';
import { orderRef, reservationIdOf, reservationRequest, type SagaDeps, type SagaItem, type WorkStep } from './deps.js';
import type { StepResult } from './persist.js';

/** One attempt at one step of one item. */
export interface StepRun {
  deps: SagaDeps;
  order: ServiceOrderDoc;
  item: SagaItem;
  /** Aborted by a deadline, a cancellation, a lost lease or shutdown: check before every effect. */
  signal: AbortSignal;
  /** Declares that the attempt now changes the outside world: a deadline then waits for it to finish. */
  effect(): void;
  /** The guarded point-of-no-return write before activation; false when the order moved on. */
  markActivationRequested(): Promise<boolean>;
}

/** Thrown at a checkpoint when the attempt must stop without touching anything more. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'Interrupted';
  }
}

const checkpoint = (signal: AbortSignal) => {
  if (signal.aborted) throw new Interrupted();
};

/** The configuration request for one resource; its key makes the element apply it at most once. */
export function configureRequest(order: ServiceOrderDoc, item: SagaItem, resource: { id: string; category: string }): ConfigureRequest {
  return {
    key: `${order._id}/${item.id}/${resource.id}`,
    resourceId: resource.id,
    category: resource.category,
    serviceId: item.serviceId ?? '',
    characteristics: item.characteristics.map((c) => ({ name: c.name, value: c.value })),
    order: orderRef(order, item),
  };
}

/**
 * The four steps. Each is idempotent, so a step re-run after a crash or a lost answer does no
 * harm: feasibility writes nothing, the reservation is keyed by `<order>/<item>`, configurations
 * by `<order>/<item>/<resource>`, and activating an active reservation answers the same.
 */
export const STEPS: Record<WorkStep, (run: StepRun) => Promise<StepResult>> = {
  async FEASIBILITY({ deps, order, item, signal, effect }) {
    checkpoint(signal);
    effect();
    await checkFeasibility(deps.config, reservationRequest(order, item));
    // Write-ahead: from RESERVATION on, compensation releases this id whatever happened to the call.
    return { next: 'RESERVATION', saga: { reservationId: reservationIdOf(order._id, item.id) }, milestone: { name: 'feasibilityChecked', description: 'the network has room for the service' } };
  },

  async RESERVATION({ deps, order, item, signal, effect }) {
    checkpoint(signal);
    effect();
    const reservation = await reserve(deps.config, reservationRequest(order, item));
    return {
      next: 'CONFIGURATION',
      saga: { resources: reservation.resources.map((r) => ({ id: r.id, category: r.category })) },
      serviceId: reservation.serviceId,
      milestone: { name: 'resourcesReserved', description: `capacity reserved on ${reservation.resources.map((r) => r.id).join(', ') || 'no resource'}; service ${reservation.serviceId} created` },
    };
  },

  async CONFIGURATION({ deps, order, item, signal, effect }) {
    const configured: string[] = [];
    for (const resource of item.saga.resources) {
      const adapter = adapterFor(resource.category, deps.network.adapters);
      if (!adapter) continue; // passive equipment (fibre, sites) has nothing to configure
      checkpoint(signal);
      effect();
      await adapter.configure(configureRequest(order, item, resource));
      configured.push(resource.id);
    }
    return { next: 'ACTIVATION', saga: { configuredResourceIds: configured }, milestone: { name: 'networkConfigured', description: `configured ${configured.join(', ') || 'nothing'}` } };
  },

  async ACTIVATION({ deps, item, signal, effect, markActivationRequested }) {
    checkpoint(signal);
    if (!(await markActivationRequested())) throw new Interrupted();
    checkpoint(signal);
    effect();
    const reservation = await activate(deps.config, item.saga.reservationId ?? '');
    if (reservation.state !== 'ACTIVE') throw new StepFailure('ACTIVATION_FAILED', `inventory left reservation ${reservation.id} ${reservation.state}`, true);
    return { next: 'AWAITING_CONFIRMATION', milestone: { name: 'serviceActivated', description: `inventory activated service ${reservation.serviceId}; awaiting its confirmation event` } };
  },
};
