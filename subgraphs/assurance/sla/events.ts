import type { ClientSession } from 'mongoose';
import { appendEvents, type NewEvent, type OutboxModels } from '../outbox/index.js';
import type { SlaViolationDoc } from './model.js';

/** A violation change to announce: the violation right after it, and the state before it. */
export interface SlaEventInput {
  violation: Pick<SlaViolationDoc, '_id' | 'customerId' | 'serviceId' | 'tier' | 'indicator' | 'unit' | 'target' | 'actual' | 'state' | 'start' | 'end' | 'penaltyEstimate'>;
  previousState: 'OPEN' | null;
}

/**
 * The outbox event of a violation change: `SlaViolationCreateEvent` when it opens,
 * `SlaViolationStateChangeEvent` when it closes. It carries what a consumer needs without
 * asking back (the customer for care and live subscriptions, the figures for a credit note).
 */
function eventOf({ violation: v, previousState }: SlaEventInput): NewEvent {
  return {
    eventType: previousState === null ? 'SlaViolationCreateEvent' : 'SlaViolationStateChangeEvent',
    // The measured time of the change, not the wall clock: a backfill reports when it happened.
    eventTime: v.state === 'CLOSED' && v.end ? v.end : v.start,
    violationId: v._id,
    customerId: v.customerId,
    serviceId: v.serviceId,
    state: v.state,
    previousState,
    tier: v.tier,
    indicator: v.indicator,
    unit: v.unit,
    target: v.target,
    actual: v.actual,
    start: v.start,
    end: v.end ?? null,
    penaltyEstimate: v.penaltyEstimate ?? null,
  };
}

/** Appends the events of these changes, in order, inside the caller's transaction (numbered from the one assurance counter). */
export async function appendSlaEvents(models: OutboxModels, session: ClientSession, changes: readonly SlaEventInput[]): Promise<void> {
  await appendEvents(models, session, changes.map(eventOf));
}
