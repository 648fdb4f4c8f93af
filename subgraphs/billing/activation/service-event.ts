/**
 * The inventory outbox's service events as billing reads them. Events come from another
 * subgraph over the wire: every field is checked rather than trusted, and a malformed event is
 * reported (and skipped by the caller) instead of crashing the consumer on every retry.
 */
import type { FeedWhere, OutboxEvent } from '../../../kit/outbox/types.js';

/** A service that became ACTIVE: what billing needs to start charging it. */
export interface ServiceActivation {
  eventId: string;
  serviceId: string;
  customerId: string;
  productOfferingId: string;
  /** When the network activated the service: charges never start before it. */
  activatedAt: Date;
  /** True when the event carried no `activatedAt` and its `eventTime` stood in (never earlier than activation). */
  activatedAtFromEventTime: boolean;
}

/** The identifiers an activation event carried, each null when missing or not a string. */
export interface NamedInEvent {
  serviceId: string | null;
  customerId: string | null;
  productOfferingId: string | null;
}

/**
 * Either the activation, or why the event does not start charging; a malformed ACTIVE event also
 * says what it did name (the leakage register keeps the service it names).
 */
export type ActivationReading = { activation: ServiceActivation } | { ignored: string; malformed: false } | { ignored: string; malformed: true; named: NamedInEvent };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Dates arrive as Date (EJSON-parsed) or, from hand-made events, as ISO strings. */
function date(v: unknown): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  if (typeof v === 'string' || typeof v === 'number') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** The events readServiceActivation can act on, as the feed's `where` (the others are never sent). */
export const SERVICES_BECOMING_ACTIVE: FeedWhere = [{ eventType: 'ServiceStateChangeEvent', state: 'ACTIVE' }];

/**
 * Reads a `ServiceStateChangeEvent` with state ACTIVE. Every other event (other types, RESERVED,
 * TERMINATED, …) is ignored: billing starts on activation by the network and on nothing else.
 */
export function readServiceActivation(event: OutboxEvent): ActivationReading {
  if (event.eventType !== 'ServiceStateChangeEvent') return { ignored: `event type ${event.eventType}`, malformed: false };
  if (event.state !== 'ACTIVE') return { ignored: `service state ${String(event.state)}`, malformed: false };
  const serviceId = str(event.serviceId);
  const customerId = str(event.customerId);
  const productOfferingId = str(event.productOfferingId);
  const named = { serviceId, customerId, productOfferingId };
  const missing = Object.entries(named).filter(([, v]) => v === null).map(([k]) => k);
  if (missing.length) return { ignored: `malformed event: no ${missing.join(', ')}`, malformed: true, named };
  const activatedAt = date(event.activatedAt);
  const eventTime = date(event.eventTime);
  if (!activatedAt && !eventTime) return { ignored: 'malformed event: neither activatedAt nor eventTime', malformed: true, named };
  return {
    activation: {
      eventId: event.eventId, serviceId: serviceId!, customerId: customerId!, productOfferingId: productOfferingId!,
      activatedAt: (activatedAt ?? eventTime)!, activatedAtFromEventTime: !activatedAt,
    },
  };
}
