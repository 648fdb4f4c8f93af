import type { AlarmState } from '../domain.js';
import type { AlarmDoc } from '../models.js';
import type { NewEvent } from '../outbox/index.js';

/** TMF642 notification types, one event per change of an alarm. */
export type AlarmEventType = 'AlarmCreateEvent' | 'AlarmStateChangeEvent' | 'AlarmAttributeValueChangeEvent' | 'AlarmClearEvent';

/**
 * The outbox event of one alarm change, carrying the alarm as it is right AFTER the change (a
 * consumer never needs to read the alarm back to act on it). Built when the change happens, so
 * two changes of one alarm in one batch each carry their own snapshot.
 */
export function alarmEvent(eventType: AlarmEventType, alarm: AlarmDoc, previousState: AlarmState | null, eventTime: Date): NewEvent {
  return {
    eventType,
    eventTime,
    alarmId: alarm._id,
    resourceId: alarm.resourceId,
    state: alarm.state,
    previousState,
    perceivedSeverity: alarm.perceivedSeverity,
    probableCause: alarm.probableCause,
    specificProblem: alarm.specificProblem ?? null,
    serviceAffecting: alarm.serviceAffecting,
    isRootCause: alarm.isRootCause,
    parentAlarmId: alarm.parentAlarmId ?? null,
    alarmType: alarm.alarmType,
    ackState: alarm.ackState,
    count: alarm.count,
    alarmRaisedTime: alarm.alarmRaisedTime,
  };
}
