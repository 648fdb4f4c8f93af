import { consumeOutbox } from '../../../kit/outbox/consumer.js';
import type { BackgroundDeps, BackgroundWork } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { noteOrderOutcome, ORDER_NOTES_CONSUMER } from './order-note.js';

/**
 * The customer subgraph's background work: CRM notes, fed by the order outbox. Only product
 * order state changes are handed over (the outbox also carries service order events); the
 * reaction notes the end states and ignores the rest.
 */
export async function startCustomerBackground(deps: BackgroundDeps<Models>): Promise<BackgroundWork> {
  const consumer = await consumeOutbox({
    name: ORDER_NOTES_CONSUMER,
    source: 'order',
    config: deps.config,
    conn: deps.conn,
    eventTypes: ['ProductOrderStateChangeEvent'],
    // Orders are independent of each other; one order's notes stay in order.
    concurrency: 16,
    orderingKey: (event) => (typeof event.productOrderId === 'string' ? event.productOrderId : undefined),
    handle: async (event) => {
      await noteOrderOutcome(deps, event);
    },
    log: deps.log,
  });
  return { stop: () => consumer.stop() };
}
