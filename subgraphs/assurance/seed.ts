import { insertChunked, type BulkInsertOptions } from '../../kit/bulk-insert.js';
import type { World, WorldAlarm, WorldMeasurement } from '../../seed/world.js';
import { ACTIVE_ALARM_STATES, measurementId, normalizeIndicator } from './domain.js';
import type { Models } from './models.js';

const dedupKey = (a: WorldAlarm) => `${a.resourceId}\u0000${a.probableCause}\u0000${a.specificProblem}`;

/**
 * The store keeps one active alarm per fault (resource + probable cause + specific problem, see
 * the fault register in models.ts). Should the world hold several, they fold into the first raised
 * like repeated reports do: its `count` grows and children follow it. Returns the surviving
 * alarms with their counts and where each folded alarm went.
 */
function foldDuplicateActiveAlarms(alarms: readonly WorldAlarm[]) {
  const survivors = new Map<string, { alarm: WorldAlarm; count: number; lastReport: Date }>();
  const foldedInto = new Map<string, string>();
  const byRaisedTime = [...alarms].sort((a, b) => a.raisedAt.getTime() - b.raisedAt.getTime());
  const kept: WorldAlarm[] = [];
  for (const alarm of byRaisedTime) {
    const survivor = ACTIVE_ALARM_STATES.includes(alarm.state) ? survivors.get(dedupKey(alarm)) : undefined;
    if (!survivor) {
      kept.push(alarm);
      if (ACTIVE_ALARM_STATES.includes(alarm.state)) survivors.set(dedupKey(alarm), { alarm, count: 1, lastReport: alarm.changedAt });
      continue;
    }
    survivor.count += 1;
    if (alarm.raisedAt > survivor.lastReport) survivor.lastReport = alarm.raisedAt;
    foldedInto.set(alarm.id, survivor.alarm.id);
  }
  const folds = new Map([...survivors.values()].map((s) => [s.alarm.id, s]));
  return { kept, folds, foldedInto };
}

/** TMF642 crossedThresholdInformation; the indicator is named as measurements name it. */
function crossedThresholdInformation(a: WorldAlarm) {
  const crossed = a.crossedThreshold;
  if (!crossed) return null;
  return {
    threshold: crossed.threshold, direction: crossed.direction, indicatorName: normalizeIndicator(crossed.indicatorName), indicatorUnit: crossed.indicatorUnit ?? null,
    observedValue: crossed.observedValue, granularity: crossed.granularity,
    // The source system's text for a threshold alarm is the explanation of the crossing.
    thresholdCrossingDescription: a.specificProblem,
  };
}

type Fold = { count: number; lastReport: Date } | undefined;

function alarmDoc(a: WorldAlarm, fold: Fold, parentAlarmId: string | null) {
  const changed = fold && fold.count > 1 ? fold.lastReport : a.changedAt;
  return {
    _id: a.id,
    externalAlarmId: a.externalAlarmId,
    sourceSystemId: a.sourceSystemId,
    resourceId: a.resourceId,
    alarmType: a.alarmType,
    perceivedSeverity: a.perceivedSeverity,
    probableCause: a.probableCause,
    specificProblem: a.specificProblem,
    state: a.state,
    ackState: a.ackState,
    // The world does not say who acknowledged; in the demo it is always the NOC desk.
    ackUserId: a.ackState === 'ACKNOWLEDGED' ? 'noc-operator' : null,
    ackSystemId: a.ackState === 'ACKNOWLEDGED' ? 'noc-portal' : null,
    alarmRaisedTime: a.raisedAt,
    // The SDL's "null when it never changed": the world stamps changedAt = raisedAt then.
    alarmChangedTime: changed > a.raisedAt ? changed : null,
    alarmClearedTime: a.clearedAt,
    serviceAffecting: a.serviceAffecting,
    isRootCause: a.isRootCause,
    parentAlarmId,
    correlatedAlarmIds: [],
    plannedOutageIndicator: 'IN_SERVICE',
    crossedThresholdInformation: crossedThresholdInformation(a),
    comments: [],
    count: fold?.count ?? 1,
    // Lean inserts skip mongoose timestamps: the record dates from the alarm itself.
    createdAt: a.raisedAt,
    updatedAt: changed > a.raisedAt ? changed : a.raisedAt,
  };
}

function measurementDoc(m: WorldMeasurement) {
  const indicator = normalizeIndicator(m.indicator);
  return { _id: measurementId(m.resourceId, indicator, m.granularity, m.at), resourceId: m.resourceId, indicator, value: m.value, unit: m.unit, granularity: m.granularity, time: m.at };
}

/** A mapping mistake fails the seed loudly; documents already stored (duplicate key) are kept. */
const INSERT: BulkInsertOptions = { validateFirstOfChunk: true, skip: 'duplicate-key' };

/** Stores the world's alarms and performance measurements in the assurance database. */
export async function seed(models: Models, world: World, log?: (msg: string) => void): Promise<void> {
  const { kept, folds, foldedInto } = foldDuplicateActiveAlarms(world.alarms);
  const alarms = kept.map((a) => alarmDoc(a, folds.get(a.id), a.parentAlarmId ? (foldedInto.get(a.parentAlarmId) ?? a.parentAlarmId) : null));
  // One document per series and period: a repeated sample keeps the last value reported.
  const measurements = [...new Map(world.measurements.map(measurementDoc).map((d) => [d._id, d])).values()];
  await Promise.all([insertChunked(models.Alarm, alarms, INSERT), insertChunked(models.Measurement, measurements, INSERT)]);
  if (foldedInto.size) log?.(`assurance: folded ${foldedInto.size} duplicate active alarms into their first report`);
  log?.(`assurance: seeded ${alarms.length} alarms, ${measurements.length} measurements`);
}
