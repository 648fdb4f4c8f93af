/**
 * Faults (TMF642) and performance (TMF628). A few scripted scenarios that demos and tests can
 * rely on at every scale, plus background noise:
 * - gNB-001 (serving CUST-789) has a RAISED MAJOR PRB-congestion alarm and an older CLEARED one;
 * - a feeder fibre outside region 1 is cut: one CRITICAL root-cause alarm, a child alarm per OLT
 *   (only alarms with correlated children are root causes);
 * - an enterprise VPN port is down; a site overheats; an OLT lost a power supply;
 * - some CLEARED history (a repaired backhaul cut, a core software error).
 * Cleared alarms keep the severity they had while raised.
 */
import { resource, type Ctx } from './context.js';
import { addDays, EPOCH, round2 } from './rng.js';
import type { ResourceCategory, WorldAlarm, WorldMeasurement, WorldResource } from './world.js';

type AlarmInit = Pick<WorldAlarm, 'resourceId' | 'alarmType' | 'perceivedSeverity' | 'probableCause' | 'specificProblem' | 'raisedAt'> & Partial<WorldAlarm>;

const SOURCE_BY_CATEGORY: Partial<Record<ResourceCategory, string>> = {
  SITE: 'ericsson-enm', GNB: 'ericsson-enm', CELL: 'ericsson-enm', NETWORK_SLICE: 'nssmf', CORE_NETWORK_FUNCTION: 'oss-core-fm',
  OLT: 'nokia-altiplano', PON_PORT: 'nokia-altiplano', ONT: 'nokia-altiplano',
};

/** Adds an alarm with defaults derived from its resource; RAISED service-affecting ones mark the resource. */
function addAlarm(ctx: Ctx, init: AlarmInit): WorldAlarm {
  const target = resource(ctx, init.resourceId);
  const sourceSystemId = SOURCE_BY_CATEGORY[target.category] ?? 'nokia-nsp';
  const n = ctx.world.alarms.length + 1;
  const alarm: WorldAlarm = {
    id: `ALM-${String(n).padStart(6, '0')}`, externalAlarmId: `${sourceSystemId.split('-')[0].toUpperCase()}-${4_700_000 + n * 37}`, sourceSystemId,
    state: 'RAISED', ackState: 'UNACKNOWLEDGED', changedAt: init.clearedAt ?? init.raisedAt, clearedAt: null,
    serviceAffecting: init.perceivedSeverity === 'CRITICAL' || init.perceivedSeverity === 'MAJOR', isRootCause: false, parentAlarmId: null,
    ...init,
  };
  if (alarm.state !== 'CLEARED' && alarm.serviceAffecting) target.resourceStatus = 'ALARM';
  ctx.world.alarms.push(alarm);
  return alarm;
}

/** Builds scripted and background alarms; returns the feeder-cut root alarm for outage notifications. */
export function buildFaults(ctx: Ctx): WorldAlarm | null {
  const firstGnb = ctx.regions[0].gnbIds[0];
  addAlarm(ctx, {
    resourceId: firstGnb, alarmType: 'QUALITY_OF_SERVICE_ALARM', perceivedSeverity: 'MAJOR', probableCause: 'thresholdCrossed',
    specificProblem: 'PRB utilisation above 85 % for three consecutive 15-minute periods', raisedAt: addDays(EPOCH, -2 / 24),
    crossedThreshold: { threshold: '85', direction: 'UP', indicatorName: 'PRB_UTILISATION', indicatorUnit: '%', observedValue: '91.4', granularity: 'G_15MN' },
  });
  const flapAt = addDays(EPOCH, -6);
  addAlarm(ctx, { resourceId: firstGnb, alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'MINOR', probableCause: 'linkFailure', specificProblem: 'NG-U transport link flapping', raisedAt: flapAt, state: 'CLEARED', ackState: 'ACKNOWLEDGED', clearedAt: addDays(flapAt, 40 / 1440), serviceAffecting: false });
  const root = feederCut(ctx);
  scriptedMisc(ctx);
  background(ctx);
  markRootCauses(ctx);
  buildMeasurements(ctx);
  return root;
}

/**
 * Correlation's rule: an alarm is a root cause when others were correlated under it. A lone
 * alarm explains nothing else, so it is not one (however severe).
 */
function markRootCauses(ctx: Ctx): void {
  const parents = new Set(ctx.world.alarms.map((a) => a.parentAlarmId));
  for (const alarm of ctx.world.alarms) alarm.isRootCause = parents.has(alarm.id);
}

/** A fibre cut outside region 1 (region 1 is the big landmark; its cut is left to benchmarks). */
function feederCut(ctx: Ctx): WorldAlarm | null {
  const feeders = ctx.world.resources.filter((r) => r.category === 'FIBRE_LINK' && r.characteristics.some((c) => c.value === 'feeder'));
  const feeder = feeders.find((f) => f.reliesOn[0] !== ctx.regions[0].aggRouterId) ?? feeders[0];
  if (!feeder) return null;
  const raisedAt = addDays(EPOCH, -35 / 1440);
  feeder.operationalState = 'DISABLE';
  const root = addAlarm(ctx, { resourceId: feeder.id, alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal', specificProblem: 'Loss of signal on feeder fibre (suspected cable cut)', raisedAt });
  for (const olt of ctx.world.resources.filter((r) => r.category === 'OLT' && r.reliesOn[0] === feeder.id)) {
    olt.operationalState = 'DISABLE';
    addAlarm(ctx, { resourceId: olt.id, alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'MAJOR', probableCause: 'underlyingResourceUnavailable', specificProblem: 'Uplink down', raisedAt: addDays(raisedAt, 20 / 86_400), parentAlarmId: root.id });
  }
  return root;
}

function scriptedMisc(ctx: Ctx): void {
  const vpn = ctx.world.services.find((s) => s.id.startsWith('svc-vpn-') && s.state === 'ACTIVE');
  if (vpn) addAlarm(ctx, { resourceId: vpn.supportingResourceIds[0], alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'MAJOR', probableCause: 'linkFailure', specificProblem: 'Customer access port down (LOS)', raisedAt: addDays(EPOCH, -3 / 24), ackState: 'ACKNOWLEDGED', changedAt: addDays(EPOCH, -2.5 / 24) });
  const lastRegion = ctx.regions[ctx.regions.length - 1];
  const site = resource(ctx, lastRegion.gnbIds[0]).bundledIn!;
  addAlarm(ctx, { resourceId: site, alarmType: 'ENVIRONMENTAL_ALARM', perceivedSeverity: 'MINOR', probableCause: 'temperatureUnacceptable', specificProblem: 'Cabinet temperature 48 °C (cooling fan failure)', raisedAt: addDays(EPOCH, -1) });
  const olt = ctx.world.resources.find((r) => r.category === 'OLT' && r.operationalState === 'ENABLE');
  if (olt) addAlarm(ctx, { resourceId: olt.id, alarmType: 'EQUIPMENT_ALARM', perceivedSeverity: 'WARNING', probableCause: 'powerProblems', specificProblem: 'PSU B failed; running on redundant supply', raisedAt: addDays(EPOCH, -4), ackState: 'ACKNOWLEDGED' });
  const cutAt = addDays(EPOCH, -9);
  addAlarm(ctx, { resourceId: lastRegion.backhaulFibreId, alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal', specificProblem: 'Backhaul fibre cut by roadworks; spliced', raisedAt: cutAt, state: 'CLEARED', ackState: 'ACKNOWLEDGED', clearedAt: addDays(cutAt, 0.3) });
  const swAt = addDays(EPOCH, -2);
  addAlarm(ctx, { resourceId: 'cnf-smf-001', alarmType: 'PROCESSING_ERROR_ALARM', perceivedSeverity: 'WARNING', probableCause: 'softwareError', specificProblem: 'SMF pod restarted after OOM', raisedAt: swAt, state: 'CLEARED', clearedAt: addDays(swAt, 0.01), serviceAffecting: false });
}

const NOISE: { categories: ResourceCategory[]; alarmType: WorldAlarm['alarmType']; probableCause: string; specificProblem: string }[] = [
  { categories: ['CELL'], alarmType: 'QUALITY_OF_SERVICE_ALARM', probableCause: 'thresholdCrossed', specificProblem: 'Downlink throughput below target' },
  { categories: ['GNB'], alarmType: 'EQUIPMENT_ALARM', probableCause: 'equipmentMalfunction', specificProblem: 'Radio unit VSWR over threshold' },
  { categories: ['PORT'], alarmType: 'COMMUNICATIONS_ALARM', probableCause: 'linkFailure', specificProblem: 'Interface flap' },
  { categories: ['ONT'], alarmType: 'COMMUNICATIONS_ALARM', probableCause: 'lossOfSignal', specificProblem: 'ONT dying gasp (customer power off)' },
  { categories: ['SITE'], alarmType: 'ENVIRONMENTAL_ALARM', probableCause: 'powerProblems', specificProblem: 'Mains failure, on battery' },
];

/** What makes two alarms the same fault; assurance keeps one active alarm per fault. */
export const faultKey = (a: Pick<WorldAlarm, 'resourceId' | 'probableCause' | 'specificProblem'>) => `${a.resourceId}|${a.probableCause}|${a.specificProblem}`;

/** Background alarms on random resources: mostly cleared history, some still raised. */
function background(ctx: Ctx): void {
  const active = new Set(ctx.world.alarms.filter((a) => a.state !== 'CLEARED').map(faultKey));
  const byCategory = new Map<ResourceCategory, WorldResource[]>();
  for (const r of ctx.world.resources) {
    const list = byCategory.get(r.category) ?? [];
    list.push(r);
    byCategory.set(r.category, list);
  }
  for (let i = 0; i < ctx.params.randomAlarms; i++) {
    const { categories, ...kind } = ctx.rng.pick(NOISE);
    const candidates = categories.flatMap((c) => byCategory.get(c) ?? []);
    if (candidates.length === 0) continue;
    const raisedAt = addDays(EPOCH, -ctx.rng.float(0.02, 20));
    const resourceId = ctx.rng.pick(candidates).id;
    let state = ctx.rng.weighted({ RAISED: 30, UPDATED: 10, CLEARED: 60 } as const);
    // A second report of a still-active fault would be the same alarm again: make it history.
    if (state !== 'CLEARED' && active.has(faultKey({ resourceId, ...kind }))) state = 'CLEARED';
    if (state !== 'CLEARED') active.add(faultKey({ resourceId, ...kind }));
    const cleared = state === 'CLEARED' ? addDays(raisedAt, Math.min(ctx.rng.float(0.01, 1), (EPOCH.getTime() - raisedAt.getTime()) / 86_400_000)) : null;
    addAlarm(ctx, {
      resourceId, ...kind, raisedAt, state, clearedAt: cleared,
      perceivedSeverity: ctx.rng.weighted({ MINOR: 45, WARNING: 35, MAJOR: 15, CRITICAL: 5 } as const),
      ackState: state === 'CLEARED' || ctx.rng.chance(0.3) ? 'ACKNOWLEDGED' : 'UNACKNOWLEDGED',
      changedAt: cleared ?? (state === 'UPDATED' ? addDays(raisedAt, 0.01) : raisedAt),
    });
  }
}

/** Six hours of 15-minute samples on the landmark resources. */
function buildMeasurements(ctx: Ctx): void {
  const region = ctx.regions[0];
  const series: [string, WorldMeasurement['indicator'], string, (k: number) => number][] = [
    [region.gnbIds[0], 'PRB_UTILISATION', '%', (k) => 55 + k * 1.5 + ctx.rng.float(-2, 2)], // climbs to the congestion alarm
    [region.premiumSliceId, 'LATENCY', 'ms', () => ctx.rng.float(7, 13)],
    [region.basicSliceId, 'JITTER', 'ms', () => ctx.rng.float(1, 4)],
    [region.backhaulFibreId, 'THROUGHPUT', 'Gbps', (k) => 40 + 10 * Math.sin(k / 4) + ctx.rng.float(0, 3)],
    [region.backhaulFibreId, 'PACKET_LOSS', '%', () => ctx.rng.float(0, 0.02)],
  ];
  for (const [resourceId, indicator, unit, value] of series) {
    for (let k = 0; k < 24; k++) {
      ctx.world.measurements.push({ resourceId, indicator, unit, granularity: 'G_15MN', at: addDays(EPOCH, -(24 - k) / 96), value: round2(value(k)) });
    }
  }
  // The last PRB sample is the observed value quoted by gNB-001's threshold alarm.
  ctx.world.measurements[23].value = 91.4;
}
