import type mongoose from 'mongoose';
import { onceOnly, type OutboxEvent } from '../../../kit/outbox/index.js';
import type { FeedWhere } from '../../../kit/outbox/types.js';
import type { Models, ServiceOrderDoc } from '../models.js';
import { isTerminalItem } from './rollup.js';
import { hasSaga } from './saga/deps.js';
import { settleItems } from './settle.js';

/** The consumer's name: keys its cursor and its dedupe markers. */
export const CONFIRMATIONS_CONSUMER = 'order.activation-confirmations';

/** The inventory outbox events this consumer acts on, as the feed's `where` (the others are never sent). */
export const SERVICES_BECOMING_ACTIVE: FeedWhere = [{ eventType: 'ServiceStateChangeEvent', state: 'ACTIVE' }];

/** Inventory's ServiceStateChangeEvent fields this consumer reads. */
interface ServiceStateChange {
  state?: unknown;
  serviceId?: unknown;
  activatedAt?: unknown;
  serviceOrderId?: unknown;
  serviceOrderItemId?: unknown;
}

/**
 * OSS → BSS: handles inventory's outbox events. A service becoming ACTIVE completes the service
 * order item that built it — item COMPLETED with its service, service order rolled up, product
 * order item COMPLETED with its service, product order rolled up, every state change with its
 * event — in one transaction, once per event (several instances may consume the same feed).
 * Only items the saga has activated are completed: any other is left alone.
 */
export function confirmationHandler(models: Models, conn: mongoose.Connection, log: (msg: string) => void) {
  return async (event: OutboxEvent): Promise<void> => {
    const e = event as OutboxEvent & ServiceStateChange;
    if (e.state !== 'ACTIVE' || typeof e.serviceOrderId !== 'string' || typeof e.serviceOrderItemId !== 'string' || typeof e.serviceId !== 'string') return;
    const [orderId, itemId, serviceId] = [e.serviceOrderId, e.serviceOrderItemId, e.serviceId];
    // Inventory's own time, or none (never made up): the item's service answers activatedAt from it.
    const activatedAt = e.activatedAt instanceof Date ? e.activatedAt : undefined;
    const outcome = await onceOnly(conn, CONFIRMATIONS_CONSUMER, event.eventId, async (session) => {
      const order = await models.ServiceOrder.findById(orderId).session(session).lean<ServiceOrderDoc>();
      const item = order?.items.find((i) => i.id === itemId);
      if (!order || !item || !hasSaga(item) || isTerminalItem(item.state)) return 'ignored';
      // ACTIVATION too: the event may overtake the saga's own record that activation was requested.
      if (item.saga.step !== 'ACTIVATION' && item.saga.step !== 'AWAITING_CONFIRMATION') return `unexpected in step ${item.saga.step}`;
      await settleItems(models, session, orderId, [{
        itemId,
        state: 'COMPLETED',
        serviceId,
        activatedAt,
        saga: { step: 'DONE' },
        milestone: { id: `${itemId}:activationConfirmed`, name: 'activationConfirmed', description: `inventory confirmed service ${serviceId} ACTIVE since ${(activatedAt ?? new Date()).toISOString()}`, milestoneDate: new Date(), status: 'reached', itemId },
      }], { current: order });
      return 'completed';
    });
    if (outcome?.startsWith('unexpected')) log(`${CONFIRMATIONS_CONSUMER}: service ${serviceId} ACTIVE for ${orderId}/${itemId}, ${outcome}: left as it is`);
  };
}

