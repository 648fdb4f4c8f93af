import { randomUUID } from 'node:crypto';
import type { OutboxEvent } from '../../../kit/outbox/types.js';

/** When the services of these events became ACTIVE. */
export const ACTIVATED_AT = new Date('2025-06-01T10:00:00.000Z');

/** A `ServiceStateChangeEvent` of the inventory outbox, as the feed delivers it: service ACTIVE for CUST-1001's 5G_PREMIUM unless `fields` say otherwise. */
export function serviceEvent(serviceId: string, fields: Record<string, unknown> = {}): OutboxEvent {
  const eventId = randomUUID();
  return {
    _id: eventId, eventId, eventType: 'ServiceStateChangeEvent', eventTime: new Date(ACTIVATED_AT.getTime() + 3), correlationId: `SO-${serviceId}/1`,
    serviceId, state: 'ACTIVE', previousState: 'RESERVED', activatedAt: ACTIVATED_AT, customerId: 'CUST-1001', productOfferingId: '5G_PREMIUM',
    productOrderId: `PO-${serviceId}`, serviceOrderId: `SO-${serviceId}`, serviceOrderItemId: '1', resourceRefs: ['/resource/gNB-001', '/resource/slice-5g-001'],
    ...fields,
  };
}
