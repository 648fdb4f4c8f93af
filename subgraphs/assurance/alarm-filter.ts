import { SEVERITIES, severitiesAtLeast, type AckState, type AlarmState, type AlarmType, type PerceivedSeverity } from './domain.js';

/** The SDL's `AlarmFilter` input; GraphQL passes explicit nulls for fields set to null. */
export interface AlarmFilterInput {
  state?: AlarmState | null;
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
  if (filter.state) query.state = filter.state;
  const severities = acceptedSeverities(filter);
  if (severities) query.perceivedSeverity = severities.length === 1 ? severities[0] : { $in: severities };
  if (filter.resourceId != null) query.resourceId = filter.resourceId;
  if (filter.alarmType) query.alarmType = filter.alarmType;
  if (filter.ackState) query.ackState = filter.ackState;
  if (filter.isRootCause != null) query.isRootCause = filter.isRootCause;
  return query;
}
