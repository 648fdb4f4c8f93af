import type { AlarmType, Granularity, PerceivedSeverity } from '../domain.js';
import type { AlarmDoc } from '../models.js';

/** TMF642 CrossedThresholdInformation as a caller gives it. */
export interface CrossedThresholdInput {
  threshold: string;
  direction: 'UP' | 'DOWN';
  indicatorName: string;
  indicatorUnit?: string | null;
  observedValue: string;
  granularity?: Granularity | null;
  thresholdCrossingDescription?: string | null;
}

/**
 * An alarm to raise (the SDL's `RaiseAlarmInput`; also one line of `POST /alarms`). Typed for
 * callers in code; every value is still checked at run time (NDJSON lines are arbitrary JSON).
 */
export interface RaiseAlarmInput {
  resourceId: string;
  perceivedSeverity: PerceivedSeverity;
  probableCause: string;
  alarmType: AlarmType;
  specificProblem?: string | null;
  externalAlarmId?: string | null;
  sourceSystemId?: string | null;
  /** False when omitted on a new alarm; an update keeps the alarm's value when omitted. */
  serviceAffecting?: boolean | null;
  /** A Date, or an ISO-8601 string (JSON); now when omitted. */
  alarmRaisedTime?: Date | string | null;
  crossedThresholdInformation?: CrossedThresholdInput | null;
}

/** Why one input was refused (the SDL's `AlarmInputError`); `field` is relative to the input, e.g. `resourceId`. */
export interface AlarmInputError {
  code: string;
  message: string;
  field: string | null;
}

/** What became of one input of `raiseAlarms`: exactly one of the two is set. */
export interface RaiseResult {
  /** The alarm as stored after the batch (created, or updated by deduplication). */
  alarm: AlarmDoc | null;
  error: AlarmInputError | null;
}

/** A raise input that passed validation, normalised. */
export interface ValidAlarm {
  resourceId: string;
  perceivedSeverity: PerceivedSeverity;
  probableCause: string;
  alarmType: AlarmType;
  specificProblem: string | null;
  externalAlarmId: string | null;
  sourceSystemId: string | null;
  /** null = not given. */
  serviceAffecting: boolean | null;
  alarmRaisedTime: Date;
  crossedThresholdInformation: Required<CrossedThresholdInput> | null;
}

/** Result of an operation on many alarms by pattern (the SDL's `BulkAlarmResult`). */
export interface BulkAlarmResult {
  matched: number;
  changed: number;
}

/** TMF642 alarm pattern: conditions combine with AND; at least one must be set. */
export interface AlarmPattern {
  rootCauseAlarmId?: string | null;
  resourceId?: string | null;
  probableCause?: string | null;
  minSeverity?: PerceivedSeverity | null;
  alarmType?: AlarmType | null;
}
