import { ErrorCode } from '../../../kit/errors.js';
import { ALARM_TYPES, GRANULARITIES, SEVERITIES, THRESHOLD_DIRECTIONS, type AlarmType, type Granularity, type PerceivedSeverity } from '../domain.js';
import type { AlarmInputError, CrossedThresholdInput, ValidAlarm } from './types.js';

/** Longest text field accepted: an EMS sending a megabyte of "specific problem" is a bug. */
const MAX_TEXT = 1000;

const INPUT_FIELDS = new Set([
  'resourceId', 'perceivedSeverity', 'probableCause', 'alarmType', 'specificProblem', 'externalAlarmId', 'sourceSystemId',
  'serviceAffecting', 'alarmRaisedTime', 'crossedThresholdInformation',
]);
const THRESHOLD_FIELDS = new Set(['threshold', 'direction', 'indicatorName', 'indicatorUnit', 'observedValue', 'granularity', 'thresholdCrossingDescription']);
/** A raised alarm has a real severity; "cleared" is what `clearAlarm` does. */
const RAISE_SEVERITIES = SEVERITIES.filter((s) => s !== 'CLEARED');

class Invalid extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const bad = (field: string, message: string): never => {
  throw new Invalid(field, message);
};

function text(obj: Record<string, unknown>, field: string, path: string, required: boolean): string | null {
  const value = obj[field];
  if (value === undefined || value === null) return required ? bad(path, 'is required') : null;
  if (typeof value !== 'string') return bad(path, `must be a string, got ${JSON.stringify(value)}`);
  if (required && value.trim() === '') return bad(path, 'must not be empty');
  if (value.length > MAX_TEXT) return bad(path, `must be at most ${MAX_TEXT} characters`);
  return value;
}

function oneOf<T extends string>(obj: Record<string, unknown>, field: string, path: string, allowed: readonly T[], required: boolean): T | null {
  const value = obj[field];
  if (value === undefined || value === null) return required ? bad(path, 'is required') : null;
  if (typeof value !== 'string' || !allowed.includes(value as T)) return bad(path, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function time(value: unknown, path: string, now: Date): Date {
  if (value === undefined || value === null) return now;
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return bad(path, `must be an ISO-8601 date-time, got ${JSON.stringify(value)}`);
  return date;
}

function unknownField(obj: Record<string, unknown>, allowed: Set<string>, prefix: string): void {
  const extra = Object.keys(obj).find((k) => !allowed.has(k));
  if (extra !== undefined) bad(prefix + extra, 'is not a field of RaiseAlarmInput');
}

function threshold(value: unknown): Required<CrossedThresholdInput> | null {
  if (value === undefined || value === null) return null;
  const path = 'crossedThresholdInformation';
  if (typeof value !== 'object' || Array.isArray(value)) return bad(path, 'must be an object');
  const obj = value as Record<string, unknown>;
  unknownField(obj, THRESHOLD_FIELDS, `${path}.`);
  return {
    threshold: text(obj, 'threshold', `${path}.threshold`, true)!,
    direction: oneOf(obj, 'direction', `${path}.direction`, THRESHOLD_DIRECTIONS, true)!,
    indicatorName: text(obj, 'indicatorName', `${path}.indicatorName`, true)!,
    indicatorUnit: text(obj, 'indicatorUnit', `${path}.indicatorUnit`, false),
    observedValue: text(obj, 'observedValue', `${path}.observedValue`, true)!,
    granularity: oneOf<Granularity>(obj, 'granularity', `${path}.granularity`, GRANULARITIES, false),
    thresholdCrossingDescription: text(obj, 'thresholdCrossingDescription', `${path}.thresholdCrossingDescription`, false),
  };
}

function parse(raw: unknown, now: Date): ValidAlarm {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad('', 'must be a RaiseAlarmInput object');
  const obj = raw as Record<string, unknown>;
  unknownField(obj, INPUT_FIELDS, '');
  const serviceAffecting = obj.serviceAffecting ?? null;
  if (serviceAffecting !== null && typeof serviceAffecting !== 'boolean') bad('serviceAffecting', `must be a boolean, got ${JSON.stringify(serviceAffecting)}`);
  return {
    resourceId: text(obj, 'resourceId', 'resourceId', true)!,
    perceivedSeverity: oneOf<PerceivedSeverity>(obj, 'perceivedSeverity', 'perceivedSeverity', RAISE_SEVERITIES, true)!,
    probableCause: text(obj, 'probableCause', 'probableCause', true)!,
    alarmType: oneOf<AlarmType>(obj, 'alarmType', 'alarmType', ALARM_TYPES, true)!,
    specificProblem: text(obj, 'specificProblem', 'specificProblem', false),
    externalAlarmId: text(obj, 'externalAlarmId', 'externalAlarmId', false),
    sourceSystemId: text(obj, 'sourceSystemId', 'sourceSystemId', false),
    serviceAffecting: serviceAffecting as boolean | null,
    alarmRaisedTime: time(obj.alarmRaisedTime, 'alarmRaisedTime', now),
    crossedThresholdInformation: threshold(obj.crossedThresholdInformation),
  };
}

/**
 * Checks one raise input (from GraphQL, code or an NDJSON line) and normalises it; a missing
 * raise time is `now`. Refusals are BAD_USER_INPUT naming the field (relative to the input).
 * Whether the resource exists is checked later, for a whole batch at once.
 */
export function validateRaiseInput(raw: unknown, now: Date): { alarm: ValidAlarm } | { error: AlarmInputError } {
  try {
    return { alarm: parse(raw, now) };
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    return { error: inputError(err.field || null, err.message) };
  }
}

/** A BAD_USER_INPUT result naming the field. */
export function inputError(field: string | null, message: string): AlarmInputError {
  return { code: ErrorCode.BAD_USER_INPUT, message: field ? `${field}: ${message}` : message, field };
}
