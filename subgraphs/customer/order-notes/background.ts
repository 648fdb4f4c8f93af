import { consumeOutbox } from '../../../kit/outbox/consumer.js';
import type { BackgroundDeps, BackgroundWork } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { NOTED_ORDER_EVENTS, noteOrderOutcome, ORDER_NOTES_CONSUMER } from './order-note.js';

/**
 * The customer subgraph's background work: CRM notes, fed by the order outbox. Only product
 * orders reaching an end state are sent (the feed filters: the outbox also carries service order
 * events and every intermediate state); the reaction still checks each event itself.
 */
export async function startCustomerBackground(deps: BackgroundDeps<Models>): Promise<BackgroundWork> {
  const consumer = await consumeOutbox({
    name: ORDER_NOTES_CONSUMER,
    source: 'order',
    config: deps.config,
    conn: deps.conn,
    eventTypes: ['ProductOrderStateChangeEvent'],
    where: NOTED_ORDER_EVENTS,
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
