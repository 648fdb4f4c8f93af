import type mongoose from 'mongoose';
import type { AppConfig } from '../../../kit/config.js';
import { onceOnly, type OutboxEvent } from '../../../kit/outbox/index.js';
import type { FeedWhere } from '../../../kit/outbox/types.js';
import type { Models, ProductOrderDoc } from '../models.js';
import { MappingCache, recordDecomposition } from './decompose.js';
import { nudgeSaga } from './signals.js';

/** The consumer's name: keys its cursor and its dedupe markers. */
export const DECOMPOSE_CONSUMER = 'order.decompose';

/** The outbox events this consumer acts on, as the feed's `where`: accepted orders' create events (the others are never sent). */
export const ORDERS_TO_DECOMPOSE: FeedWhere = [{ eventType: 'ProductOrderCreateEvent', state: 'ACKNOWLEDGED' }];

/**
 * BSS → OSS: handles the order subgraph's own outbox. An ACKNOWLEDGED product order's create
 * event becomes its service order (see recordDecomposition), once per event; the new service
 * order's saga is woken at once. The catalog is asked first (see MappingCache), outside the
 * transaction; when it does not answer the handler throws and the consumer retries the event.
 */
export function decompositionHandler(models: Models, config: AppConfig, conn: mongoose.Connection) {
  const mappings = new MappingCache();
  return async (event: OutboxEvent): Promise<void> => {
    if (event.state !== 'ACKNOWLEDGED' || typeof event.productOrderId !== 'string') return;
    const order = await models.ProductOrder.findById(event.productOrderId, { state: 1, items: 1 }).lean<ProductOrderDoc>();
    if (order?.state !== 'ACKNOWLEDGED') return; // cancelled meanwhile, or decomposed already
    const mapping = await mappings.get(config, order.items.map((i) => i.productOfferingId));
    const created = await onceOnly(conn, DECOMPOSE_CONSUMER, event.eventId, (session) => recordDecomposition(models, session, order._id, mapping));
    if (created) nudgeSaga(created);
  };
}
