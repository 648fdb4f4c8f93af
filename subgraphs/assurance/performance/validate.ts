import { GRANULARITIES, GRANULARITY_MINUTES, type Granularity } from '../domain.js';
import { measurementKey, type MeasuredSubject } from './ids.js';
import { INDICATORS, INDICATOR_NAMES, indicatorOf } from './indicators.js';

/** One measurement to record (the SDL's `MeasurementInput`, or one NDJSON line: not type-checked yet). */
export interface MeasurementInput {
  resourceId?: unknown;
  serviceId?: unknown;
  indicator?: unknown;
  value?: unknown;
  unit?: unknown;
  granularity?: unknown;
  time?: unknown;
}

/** Why one input was refused; `field` is the path of the offending value (`inputs[3].value`). */
export interface InputError {
  code: 'BAD_USER_INPUT';
  message: string;
  field: string | null;
}

/** A valid input as it will be stored. */
export interface MeasurementRecord {
  _id: string;
  subject: MeasuredSubject;
  indicator: string;
  value: number;
  unit: string;
  granularity: Granularity;
  /** Start of the period. */
  time: Date;
}

/** Granularity when an input names none: EMS performance feeds report per minute by default. */
export const DEFAULT_GRANULARITY: Granularity = 'G_1MN';

class Refused extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

const INPUT_FIELDS = new Set(['resourceId', 'serviceId', 'indicator', 'value', 'unit', 'granularity', 'time']);

const isId = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= 200 && !v.includes('/');

function subjectOf(input: MeasurementInput): MeasuredSubject {
  const hasResource = input.resourceId != null;
  const hasService = input.serviceId != null;
  if (hasResource === hasService) throw new Refused(hasResource ? 'serviceId' : 'resourceId', 'give exactly one of resourceId and serviceId');
  const [field, id] = hasResource ? ['resourceId', input.resourceId] : ['serviceId', input.serviceId];
  // A slash would make the stored id ambiguous (`<subject>/<indicator>/…`).
  if (!isId(id)) throw new Refused(field, 'must be a non-empty identifier without "/"');
  return hasResource ? { resourceId: id } : { serviceId: id };
}

function timeOf(raw: unknown): Date {
  const time = raw instanceof Date ? raw : typeof raw === 'string' && /^\d{4}-\d\d-\d\dT/.test(raw) ? new Date(raw) : null;
  if (!time || Number.isNaN(time.getTime())) throw new Refused('time', `must be an ISO-8601 date-time, got ${JSON.stringify(raw)}`);
  return time;
}

function parse(input: MeasurementInput): MeasurementRecord {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Refused('', 'must be a MeasurementInput object');
  // A misspelt field (`values`) must not pass as a measurement without it.
  const extra = Object.keys(input).find((k) => !INPUT_FIELDS.has(k));
  if (extra !== undefined) throw new Refused(extra, 'is not a field of MeasurementInput');
  const subject = subjectOf(input);
  const indicator = typeof input.indicator === 'string' ? indicatorOf(input.indicator) : undefined;
  if (!indicator) throw new Refused('indicator', `must be one of ${INDICATOR_NAMES} (or their SCREAMING_SNAKE spelling), got ${JSON.stringify(input.indicator)}`);
  const { unit, min, max } = INDICATORS[indicator];
  if (typeof input.value !== 'number' || !Number.isFinite(input.value) || input.value < min || input.value > max) {
    throw new Refused('value', `must be a number between ${min} and ${max} for ${indicator}, got ${JSON.stringify(input.value)}`);
  }
  // One stored unit per indicator keeps averages and SLA comparisons meaningful.
  if (input.unit != null && input.unit !== unit) throw new Refused('unit', `${indicator} is measured in ${unit}, got ${JSON.stringify(input.unit)}`);
  const granularity = input.granularity ?? DEFAULT_GRANULARITY;
  if (typeof granularity !== 'string' || !(GRANULARITIES as string[]).includes(granularity)) throw new Refused('granularity', `must be one of ${GRANULARITIES.join(', ')}, got ${JSON.stringify(granularity)}`);
  const g = granularity as Granularity;
  // The time may be anywhere in the period: the period's start (UTC-epoch aligned, as roll-ups
  // are) identifies it, so a repeated report of one period replaces the value instead of adding one.
  const periodMs = GRANULARITY_MINUTES[g] * 60_000;
  const raw = timeOf(input.time).getTime();
  const time = new Date(raw - (((raw % periodMs) + periodMs) % periodMs));
  return { _id: measurementKey(subject, indicator, g, time), subject, indicator, value: input.value, unit, granularity: g, time };
}

/** Validates one input; `path` prefixes the field of an error (`inputs[3]`, or '' for an NDJSON line). */
export function validateMeasurement(input: MeasurementInput, path: string): MeasurementRecord | InputError {
  try {
    return parse(input);
  } catch (err) {
    if (!(err instanceof Refused)) throw err;
    const field = [path, err.field].filter(Boolean).join('.') || null;
    return { code: 'BAD_USER_INPUT', message: `${field ?? 'input'}: ${err.message}`, field };
  }
}

export const isInputError = (r: MeasurementRecord | InputError): r is InputError => 'code' in r;
