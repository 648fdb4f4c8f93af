import { consumeOutbox } from '../../../kit/outbox/consumer.js';
import type { BackgroundDeps, BackgroundWork } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { scheduleReconciliation } from '../revenue-assurance/schedule.js';
import { CHARGE_START_CONSUMER, startCharging } from './charge-start.js';
import { SERVICES_BECOMING_ACTIVE } from './service-event.js';

/**
 * The billing subgraph's background work: billing start, fed by the inventory outbox, and the
 * periodic revenue-leakage reconciliation (revenue-assurance/). Only
 * services becoming ACTIVE are sent (the feed filters: creation is RESERVED, never charged, and
 * the outbox carries resource events too); the reaction itself ignores every state but ACTIVE.
 * A throw (catalog unreachable) makes the consumer retry the same event, so no activation is
 * skipped.
 */
export async function startBillingBackground(deps: BackgroundDeps<Models>): Promise<BackgroundWork> {
  const consumer = await consumeOutbox({
    name: CHARGE_START_CONSUMER,
    source: 'inventory',
    config: deps.config,
    conn: deps.conn,
    eventTypes: ['ServiceStateChangeEvent'],
    where: SERVICES_BECOMING_ACTIVE,
    // Services are independent of each other; one service's changes stay in order.
    concurrency: 16,
    orderingKey: (event) => (typeof event.serviceId === 'string' ? event.serviceId : undefined),
    handle: async (event) => {
      await startCharging(deps, event);
    },
    log: deps.log,
  });
  const reconciliation = scheduleReconciliation(deps);
  return { stop: async () => void (await Promise.all([consumer.stop(), reconciliation.stop()])) };
}
