import { stub } from '../../../kit/entity-stub.js';
import type { AlarmDoc } from '../models.js';

/** A federation reference to a resource owned by the inventory subgraph. */
export const resourceStub = (id: string) => stub('Resource', id);

/**
 * An alarm as the SDL shapes it. Relations (`parentAlarm`, `childAlarms`, `correlatedAlarms`)
 * are resolved by the Alarm resolvers from the ids kept here.
 */
export function toAlarm(doc: AlarmDoc) {
  return {
    id: doc._id,
    externalAlarmId: doc.externalAlarmId ?? null,
    sourceSystemId: doc.sourceSystemId ?? null,
    alarmRaisedTime: doc.alarmRaisedTime,
    alarmChangedTime: doc.alarmChangedTime ?? null,
    alarmClearedTime: doc.alarmClearedTime ?? null,
    alarmType: doc.alarmType,
    perceivedSeverity: doc.perceivedSeverity,
    probableCause: doc.probableCause,
    specificProblem: doc.specificProblem ?? null,
    state: doc.state,
    ackState: doc.ackState,
    ackUserId: doc.ackUserId ?? null,
    ackSystemId: doc.ackSystemId ?? null,
    alarmedObject: resourceStub(doc.resourceId),
    serviceAffecting: doc.serviceAffecting,
    isRootCause: doc.isRootCause,
    plannedOutageIndicator: doc.plannedOutageIndicator,
    crossedThresholdInformation: doc.crossedThresholdInformation ?? null,
    comments: (doc.comments ?? []).map((c) => ({ comment: c.comment, time: c.time, userId: c.userId ?? null, systemId: c.systemId ?? null })),
    count: doc.count,
    parentAlarmId: doc.parentAlarmId ?? null,
    correlatedAlarmIds: doc.correlatedAlarmIds ?? [],
  };
}

/** An alarm as resolvers hand it to GraphQL. */
export type AlarmNode = ReturnType<typeof toAlarm>;

/** Maps a possibly missing alarm (unknown id → null). */
export const toAlarmOrNull = (doc: AlarmDoc | null): AlarmNode | null => (doc ? toAlarm(doc) : null);

export { toMeasurement } from '../performance/shapes.js';
