import { ACTIVE_ALARM_STATES, ALARM_STATES, SEVERITIES, severitiesAtLeast, type AckState, type AlarmState, type AlarmType, type PerceivedSeverity } from './domain.js';

/** The SDL's `AlarmFilter` input; GraphQL passes explicit nulls for fields set to null. */
export interface AlarmFilterInput {
  state?: AlarmState | null;
  /** true = RAISED or UPDATED, false = CLEARED. */
  active?: boolean | null;
  perceivedSeverity?: PerceivedSeverity | null;
  minSeverity?: PerceivedSeverity | null;
  resourceId?: string | null;
  alarmType?: AlarmType | null;
  ackState?: AckState | null;
  isRootCause?: boolean | null;
}

/**
 * Every alarm list, newest first ("most recently raised first" in the SDL); `_id` breaks ties
 * between alarms raised in the same millisecond so offset pages never overlap.
 */
export const ALARM_ORDER = { alarmRaisedTime: -1, _id: 1 } as const;

/**
 * States `state` and `active` both accept (they combine with AND; contradicting ones accept
 * none); null when neither is set.
 */
export function acceptedStates(state: AlarmState | null | undefined, active: boolean | null | undefined): AlarmState[] | null {
  if (!state && active == null) return null;
  return ALARM_STATES.filter((s) => (!state || s === state) && (active == null || ACTIVE_ALARM_STATES.includes(s) === active));
}

/** Severities both severity conditions accept (they combine with AND like every condition). */
function acceptedSeverities(filter: AlarmFilterInput): PerceivedSeverity[] | null {
  if (!filter.perceivedSeverity && !filter.minSeverity) return null;
  let accepted: PerceivedSeverity[] = [...SEVERITIES];
  if (filter.minSeverity) accepted = severitiesAtLeast(filter.minSeverity);
  if (filter.perceivedSeverity) accepted = accepted.filter((s) => s === filter.perceivedSeverity);
  return accepted;
}

/** The MongoDB query selecting the alarms an `AlarmFilter` lets through (all when omitted). */
export function alarmQuery(filter: AlarmFilterInput | null | undefined): Record<string, unknown> {
  if (!filter) return {};
  const query: Record<string, unknown> = {};
  const states = acceptedStates(filter.state, filter.active);
  if (states) query.state = states.length === 1 ? states[0] : { $in: states };
  const severities = acceptedSeverities(filter);
  if (severities) query.perceivedSeverity = severities.length === 1 ? severities[0] : { $in: severities };
  if (filter.resourceId != null) query.resourceId = filter.resourceId;
  if (filter.alarmType) query.alarmType = filter.alarmType;
  if (filter.ackState) query.ackState = filter.ackState;
  if (filter.isRootCause != null) query.isRootCause = filter.isRootCause;
  return query;
}
