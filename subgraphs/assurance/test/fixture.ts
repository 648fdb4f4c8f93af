import { partialWorld } from '../../../kit/testing.js';
import type { World, WorldAlarm, WorldMeasurement } from '../../../seed/world.js';

/**
 * A small hand-written world for the assurance tests (the generator is not there yet): a 5G site
 * with a few alarms of every kind, a fibre cut with 30 correlated children, an OLT fault with 3,
 * a repeated fault report the seed folds, and a day's worth of measurements.
 */
export const T0 = new Date('2025-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function alarm(id: string, resourceId: string, over: Partial<WorldAlarm>): WorldAlarm {
  const raisedAt = over.raisedAt ?? at(0);
  return {
    id, externalAlarmId: `EMS-${id}`, sourceSystemId: 'ems-nokia-1', resourceId,
    alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal', specificProblem: `fault on ${resourceId}`,
    state: 'RAISED', ackState: 'UNACKNOWLEDGED', raisedAt, changedAt: raisedAt, clearedAt: null,
    serviceAffecting: false, isRootCause: false, parentAlarmId: null, ...over,
  };
}

export const FIBRE_CHILDREN = 30;
export const OLT_CHILDREN = 3;

const fibreChildren = Array.from({ length: FIBRE_CHILDREN }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  // Pairs share a raise time, so ordering must fall back to the id.
  return alarm(`ALM-PORT-${n}`, `PORT-${n}`, { probableCause: 'underlyingResourceUnavailable', raisedAt: at(1200 + Math.floor(i / 2)), serviceAffecting: true, parentAlarmId: 'ALM-FIBRE-ROOT' });
});

const ontChildren = Array.from({ length: OLT_CHILDREN }, (_, i) =>
  alarm(`ALM-ONT-00${i + 1}`, `ONT-00${i + 1}`, { perceivedSeverity: 'MINOR', probableCause: 'underlyingResourceUnavailable', raisedAt: at(900 + i), parentAlarmId: 'ALM-OLT-ROOT' }));

export const fixtureAlarms: WorldAlarm[] = [
  alarm('ALM-GNB-001', 'gNB-001', { perceivedSeverity: 'CRITICAL', raisedAt: at(600), serviceAffecting: true }),
  alarm('ALM-GNB-002', 'gNB-001', { alarmType: 'EQUIPMENT_ALARM', perceivedSeverity: 'MINOR', probableCause: 'powerProblems', state: 'CLEARED', ackState: 'ACKNOWLEDGED', raisedAt: at(60), changedAt: at(120), clearedAt: at(120) }),
  alarm('ALM-GNB-003', 'gNB-001', { alarmType: 'ENVIRONMENTAL_ALARM', perceivedSeverity: 'WARNING', probableCause: 'temperatureUnacceptable', state: 'UPDATED', raisedAt: at(300), changedAt: at(360) }),
  alarm('ALM-SLICE-001', 'slice-5g-001', {
    alarmType: 'QUALITY_OF_SERVICE_ALARM', probableCause: 'thresholdCrossed', specificProblem: 'Latency above 20 ms', ackState: 'ACKNOWLEDGED', raisedAt: at(700),
    crossedThreshold: { threshold: '20', direction: 'UP', indicatorName: 'LATENCY', indicatorUnit: 'ms', observedValue: '27.5', granularity: 'G_15MN' },
  }),
  alarm('ALM-FIBRE-ROOT', 'FIBRE-001', { perceivedSeverity: 'CRITICAL', probableCause: 'linkFailure', raisedAt: at(1199), serviceAffecting: true, isRootCause: true }),
  ...fibreChildren,
  alarm('ALM-OLT-ROOT', 'OLT-001', { alarmType: 'EQUIPMENT_ALARM', perceivedSeverity: 'CRITICAL', probableCause: 'equipmentMalfunction', raisedAt: at(899), isRootCause: true }),
  ...ontChildren,
  alarm('ALM-CPE-001', 'CPE-001', { alarmType: 'PROCESSING_ERROR_ALARM', perceivedSeverity: 'INDETERMINATE', probableCause: 'softwareError', raisedAt: at(30) }),
  alarm('ALM-CPE-002', 'CPE-001', { perceivedSeverity: 'CLEARED', state: 'CLEARED', raisedAt: at(10), changedAt: at(20), clearedAt: at(20) }),
  // The same fault reported twice while active (folded into DUP-1), and once before, cleared.
  alarm('ALM-DUP-1', 'AR-001', { specificProblem: 'LOS on ge-0/0/1', raisedAt: at(400) }),
  alarm('ALM-DUP-2', 'AR-001', { specificProblem: 'LOS on ge-0/0/1', raisedAt: at(450) }),
  alarm('ALM-DUP-0', 'AR-001', { specificProblem: 'LOS on ge-0/0/1', state: 'CLEARED', perceivedSeverity: 'CLEARED', raisedAt: at(100), changedAt: at(110), clearedAt: at(110) }),
];

/** The alarms as stored: the fixture minus the folded repeat. */
export const storedAlarms = fixtureAlarms.filter((a) => a.id !== 'ALM-DUP-2');

function series(resourceId: string, indicator: WorldMeasurement['indicator'], unit: string, points: number, value: (i: number) => number): WorldMeasurement[] {
  return Array.from({ length: points }, (_, i) => ({ resourceId, indicator, unit, granularity: 'G_15MN' as const, at: at(15 * i), value: value(i) }));
}

/** Resources with a single latency sample each: the N+1 probes. */
export const PROBED_RESOURCES = Array.from({ length: 40 }, (_, i) => `RES-M-${String(i + 1).padStart(2, '0')}`);

export const fixtureMeasurements: WorldMeasurement[] = [
  ...series('gNB-001', 'PRB_UTILISATION', '%', 24, (i) => i),
  ...series('gNB-001', 'LATENCY', 'ms', 24, (i) => 10 + i),
  ...series('slice-5g-001', 'THROUGHPUT', 'Mbps', 8, (i) => 100 * (i + 1)),
  ...PROBED_RESOURCES.map((r, i) => ({ resourceId: r, indicator: 'LATENCY' as const, unit: 'ms', granularity: 'G_15MN' as const, at: at(0), value: i })),
];

/** The fixture world: only the assurance parts are filled. */
export const fixtureWorld: World = partialWorld({ alarms: fixtureAlarms, measurements: fixtureMeasurements }, 'FIBRE-001');

/** Stored alarms newest first, ties by id: the order every alarm list promises. */
export const newestFirst = (alarms: readonly WorldAlarm[]) =>
  [...alarms].sort((a, b) => b.raisedAt.getTime() - a.raisedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
