import type { GraphQLError } from 'graphql';
import { ErrorCode } from '../../../kit/errors.js';
import { clearAlarm, raiseAlarms } from '../alarms/index.js';
import type { RaiseAlarmInput } from '../alarms/types.js';
import type { Granularity } from '../domain.js';
import type { AssuranceDeps } from '../runtime.js';
import type { SlaViolationDoc } from './model.js';
import { SLA_TERMS, type SlaTier } from './terms.js';

/** Rounded for people: an alarm says "27.35 ms", not "27.349999999999998 ms". */
const shown = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * The TMF642 quality-of-service alarm of a violation, on the service's resource. The specific
 * problem names the service and indicator: it is what makes two services' breaches on one
 * shared resource two alarms (deduplication is per resource, cause and specific problem).
 */
export function qosAlarmInput(v: SlaViolationDoc, granularity: Granularity | null, windowMs: number): RaiseAlarmInput {
  const terms = SLA_TERMS[v.tier as SlaTier];
  return {
    resourceId: v.alarmResourceId!,
    perceivedSeverity: terms?.alarmSeverity ?? 'MAJOR',
    probableCause: 'thresholdCrossed',
    alarmType: 'QUALITY_OF_SERVICE_ALARM',
    specificProblem: `SLA ${v.tier} ${v.indicator} breached on service ${v.serviceId}`,
    externalAlarmId: v._id,
    sourceSystemId: 'sla-monitor',
    // Degraded, not down: outage care and DOWN health are for faults that take service away.
    serviceAffecting: false,
    alarmRaisedTime: v.start,
    crossedThresholdInformation: {
      threshold: shown(v.target),
      direction: 'UP',
      indicatorName: v.indicator,
      indicatorUnit: v.unit,
      observedValue: shown(v.actual),
      granularity,
      thresholdCrossingDescription:
        `${v.indicator} of service ${v.serviceId} averaged ${shown(v.actual)} ${v.unit} over ${windowMs / 60_000} min, above the ${v.tier} target of ${shown(v.target)} ${v.unit} (violation ${v._id})`,
    },
  };
}

/** Clears an alarm; one that no longer exists needs no clearing (and must not block the retry sweep forever). */
async function clear(deps: AssuranceDeps, alarmId: string): Promise<void> {
  try {
    await clearAlarm(deps, alarmId);
  } catch (err) {
    if ((err as GraphQLError).extensions?.code !== ErrorCode.NOT_FOUND) throw err;
  }
}

/**
 * Brings the alarms of these violations in line with them: raises the alarm of a violation that
 * has none, clears the alarm of a closed one, then marks the follow-up done — unless the
 * violation changed meanwhile (closed by a concurrent evaluation), which leaves it pending for
 * the next pass. Clears go first: a closed violation's alarm must be gone before a new breach of
 * the same series raises (else deduplication would fold the new breach into the old alarm).
 * Violations are few (a breach opens one per series at most): alarms go one by one.
 */
export async function syncViolationAlarms(deps: AssuranceDeps, ids: readonly string[], hints: readonly { violationId: string; granularity: Granularity | null }[]): Promise<void> {
  const docs = await deps.models.SlaViolation.find({ _id: { $in: [...new Set(ids)] }, alarmPending: true }).sort({ start: 1 }).lean<SlaViolationDoc[]>();
  const granularity = new Map(hints.map((h) => [h.violationId, h.granularity]));
  for (const v of docs.filter((d) => d.state === 'CLOSED' && d.alarmId)) await clear(deps, v.alarmId!);
  const alarmIds = new Map<string, string>();
  // One at a time, oldest first: a violation that opened and closed within one evaluation has
  // its alarm raised and cleared before the next breach of the series raises its own.
  for (const v of docs.filter((d) => d.alarmResourceId && !d.alarmId)) {
    const [raised] = await raiseAlarms(deps, [qosAlarmInput(v, granularity.get(v._id) ?? null, deps.config.slaEvaluationWindowMs)]);
    // Refused (the resource left the inventory): nothing to retry; the violation stands without an alarm.
    if (!raised.alarm) continue;
    alarmIds.set(v._id, raised.alarm._id);
    if (v.state === 'CLOSED') await clear(deps, raised.alarm._id);
  }
  // The alarm id is kept whatever happened meanwhile; "done" only holds for the state handled here.
  await deps.models.SlaViolation.bulkWrite(docs.flatMap((v) => [
    ...(alarmIds.has(v._id) ? [{ updateOne: { filter: { _id: v._id }, update: { $set: { alarmId: alarmIds.get(v._id) } } } }] : []),
    { updateOne: { filter: { _id: v._id, state: v.state, alarmPending: true }, update: { $set: { alarmPending: false } } } },
  ]), { ordered: true });
}
