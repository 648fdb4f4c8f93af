import type { Collection, Document } from 'mongodb';
import type { AlarmState, PerceivedSeverity } from '../domain.js';
import type { Models } from '../models.js';

/**
 * The assurance outbox (`events`) as the live subscriptions read it. Every event carries `seq`,
 * strictly increasing per database (a counter document): it orders the events and is the
 * position subscription cursors name. Writers: the alarm pipeline and the SLA evaluation.
 */
export interface OutboxRecord {
  _id: unknown;
  eventId: string;
  eventType: string;
  seq: number;
  eventTime: Date;
}

export const ALARM_EVENT_TYPES = ['AlarmCreateEvent', 'AlarmStateChangeEvent', 'AlarmAttributeValueChangeEvent', 'AlarmClearEvent'] as const;
export type AlarmEventType = (typeof ALARM_EVENT_TYPES)[number];

/** One change of one alarm, with the alarm's state right after it. */
export interface AlarmEvent extends OutboxRecord {
  eventType: AlarmEventType;
  alarmId: string;
  resourceId: string;
  state: AlarmState;
  previousState: AlarmState | null;
  perceivedSeverity: PerceivedSeverity;
  probableCause: string;
  serviceAffecting: boolean;
  isRootCause: boolean;
  parentAlarmId: string | null;
  alarmType: string;
  count: number;
}

export const SLA_EVENT_TYPES = ['SlaViolationCreateEvent', 'SlaViolationStateChangeEvent'] as const;
export type SlaEventType = (typeof SLA_EVENT_TYPES)[number];

/** One change of one SLA violation. */
export interface SlaViolationEvent extends OutboxRecord {
  eventType: SlaEventType;
  violationId: string;
  customerId: string;
  serviceId: string;
  state: 'OPEN' | 'CLOSED';
  previousState?: 'OPEN' | 'CLOSED' | null;
}

const alarmTypes = new Set<string>(ALARM_EVENT_TYPES);
const slaTypes = new Set<string>(SLA_EVENT_TYPES);

export const isAlarmEvent = (e: OutboxRecord): e is AlarmEvent => alarmTypes.has(e.eventType) && typeof (e as AlarmEvent).alarmId === 'string';
export const isSlaViolationEvent = (e: OutboxRecord): e is SlaViolationEvent => slaTypes.has(e.eventType) && typeof (e as SlaViolationEvent).violationId === 'string';

/**
 * The outbox collection, through the driver: the documents are written by other modules of the
 * subgraph (in their transactions) and only ever read here, so no mongoose model is needed.
 */
export function outboxCollection(models: Models): Collection<OutboxRecord & Document> {
  return models.Alarm.db.db!.collection<OutboxRecord & Document>('events');
}
