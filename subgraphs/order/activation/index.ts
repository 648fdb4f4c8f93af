import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { consumeOutbox, type OutboxEvent } from '../../../kit/outbox/index.js';
import type { BackgroundDeps, BackgroundWork } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { createAdapterModels, createSimulatedNetwork } from './adapters/index.js';
import { confirmationHandler, CONFIRMATIONS_CONSUMER, SERVICES_BECOMING_ACTIVE } from './confirmations.js';
import { decompositionHandler, DECOMPOSE_CONSUMER, ORDERS_TO_DECOMPOSE } from './decompose-consumer.js';
import type { SagaDeps } from './saga/deps.js';
import { SagaRunner, type RunnerOptions } from './saga/runner.js';
import { onSagaNudge } from './signals.js';

const stringField = (event: OutboxEvent, field: string) => (typeof event[field] === 'string' ? (event[field] as string) : undefined);

/** Knobs tests turn; production uses the defaults. */
export interface ActivationOptions {
  runner?: RunnerOptions;
  /** This instance's name in leases and the attempt log; unique per start by default. */
  owner?: string;
}

/**
 * The order subgraph's background work, the BSS side of order-to-activate:
 * - BSS → OSS: its own outbox's ProductOrderCreateEvents become service orders;
 * - the saga runner drives every service order item through feasibility, reservation,
 *   configuration and activation (several instances share the work through leases);
 * - OSS → BSS: inventory's outbox confirms services ACTIVE, completing items and orders.
 */
export async function startActivation({ models, config, conn, log }: BackgroundDeps<Models>, options: ActivationOptions = {}): Promise<BackgroundWork> {
  const deps: SagaDeps = {
    models,
    config,
    network: createSimulatedNetwork(createAdapterModels(conn), config.activation),
    owner: options.owner ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
    log,
  };
  const runner = new SagaRunner(deps, options.runner);
  const unsubscribe = onSagaNudge((serviceOrderId, interrupt) => runner.wake(serviceOrderId, interrupt));
  runner.start();
  const consumers = await Promise.all([
    // Orders are independent: two are decomposed and two confirmed at once, each order's (and
    // each service order's) events still one after the other. Few at a time: the work is bound by
    // CPU and database, so more in flight only lengthens every transaction (and the time from a
    // state change's event to its commit) without finishing orders sooner (see SagaRunner).
    consumeOutbox({
      name: DECOMPOSE_CONSUMER, source: 'order', config, conn, eventTypes: ['ProductOrderCreateEvent'], where: ORDERS_TO_DECOMPOSE, handle: decompositionHandler(models, config, conn), log,
      concurrency: 2, orderingKey: (e) => stringField(e, 'productOrderId'),
    }),
    consumeOutbox({
      name: CONFIRMATIONS_CONSUMER, source: 'inventory', config, conn, eventTypes: ['ServiceStateChangeEvent'], where: SERVICES_BECOMING_ACTIVE, handle: confirmationHandler(models, conn, log), log,
      concurrency: 2, orderingKey: (e) => stringField(e, 'serviceOrderId'),
    }),
  ]);
  return {
    async stop() {
      unsubscribe();
      // Consumers first: they may still create or complete orders the runner would pick up.
      await Promise.all(consumers.map((c) => c.stop()));
      await runner.stop();
    },
  };
}
