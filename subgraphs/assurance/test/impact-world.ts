import { generateWorld } from '../../../seed/generate.js';
import type { World, WorldAlarm } from '../../../seed/world.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';

/**
 * The small generated world plus a hand-made alarm group and a lone warning, and the oracles the
 * impact tests compare against: everything computed straight from the world data, the slow way.
 */

const ACTIVE = new Set(['RAISED', 'UPDATED']);
const SEVERITY_ORDER = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'];
const T = new Date('2025-06-01T08:00:00.000Z');

function alarm(id: string, resourceId: string, over: Partial<WorldAlarm> = {}): WorldAlarm {
  const raisedAt = over.raisedAt ?? T;
  return {
    id, externalAlarmId: `EXT-${id}`, sourceSystemId: 'impact-test', resourceId, alarmType: 'COMMUNICATIONS_ALARM', perceivedSeverity: 'MAJOR',
    probableCause: 'underlyingResourceUnavailable', specificProblem: `test fault on ${resourceId}`, state: 'RAISED', ackState: 'UNACKNOWLEDGED',
    raisedAt, changedAt: raisedAt, clearedAt: null, serviceAffecting: true, isRootCause: false, parentAlarmId: null, ...over,
  };
}

/** Everything above a resource in the world: what it relies on or is bundled in, transitively. */
export function worldAncestors(world: World, id: string): Set<string> {
  const byId = new Map(world.resources.map((r) => [r.id, r]));
  const out = new Set<string>();
  const visit = (rid: string) => {
    const r = byId.get(rid);
    for (const up of [...(r?.reliesOn ?? []), ...(r?.bundledIn ? [r.bundledIn] : [])]) if (!out.has(up) && up !== id) (out.add(up), visit(up));
  };
  visit(id);
  return out;
}

/** A service's resources and those of the services it is built on, transitively. */
export function worldFootprint(world: World, serviceId: string, seen = new Set<string>()): Set<string> {
  const s = world.services.find((w) => w.id === serviceId)!;
  seen.add(serviceId);
  const out = new Set(s.supportingResourceIds);
  for (const sub of s.supportingServiceIds) if (!seen.has(sub)) worldFootprint(world, sub, seen).forEach((r) => out.add(r));
  return out;
}

/** Active alarms on these resources or above them, most severe first, then most recently raised, then id. */
export function worldAlarmsBehind(world: World, resourceIds: Iterable<string>): WorldAlarm[] {
  const scope = new Set<string>();
  for (const id of resourceIds) (scope.add(id), worldAncestors(world, id).forEach((a) => scope.add(a)));
  return world.alarms
    .filter((a) => ACTIVE.has(a.state) && scope.has(a.resourceId))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.perceivedSeverity) - SEVERITY_ORDER.indexOf(b.perceivedSeverity) || b.raisedAt.getTime() - a.raisedAt.getTime() || (a.id < b.id ? -1 : 1));
}

/** Network issues of a customer: the alarms behind its ACTIVE services. */
export const worldNetworkIssues = (world: World, customerId: string) =>
  worldAlarmsBehind(world, world.services.filter((s) => s.customerId === customerId && s.state === 'ACTIVE').flatMap((s) => [...worldFootprint(world, s.id)]));

/** The union of the brute-force impacts of several resources, with the customer tally. */
export function worldUnionImpact(world: World, resourceIds: readonly string[]) {
  const services = new Set<string>();
  const customers = new Set<string>();
  for (const id of resourceIds) {
    const impact = bruteForceImpact(world, id);
    impact.serviceIds.forEach((s) => services.add(s));
    impact.customerIds.forEach((c) => customers.add(c));
  }
  const byId = new Map(world.customers.map((c) => [c.id, c]));
  const hurt = [...customers].sort().map((id) => byId.get(id)!);
  return {
    serviceIds: [...services].sort(),
    customerIds: hurt.map((c) => c.id),
    enterpriseCustomerCount: hurt.filter((c) => c.segment === 'ENTERPRISE').length,
    bySlaTier: ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'].map((tier) => ({ tier, count: hurt.filter((c) => c.slaTier === tier).length })),
  };
}

/** The impact test world and the landmarks of its added alarms. */
export function impactWorld() {
  const base = generateWorld('small');
  const fibre = base.landmarks.bigFibreLinkId;
  const closure = bruteForceImpact(base, fibre).resourceIds;
  const hurtsSomeone = (id: string) => bruteForceImpact(base, id).customerIds.length > 0;
  const inside = [...closure].filter((id) => id !== fibre).slice(0, 5);
  // Two ONTs outside the fibre's closure: one active child adds its customers, one cleared child adds nothing.
  const [outside, clearedOutside] = base.resources.filter((r) => r.category === 'ONT' && !closure.has(r.id) && hurtsSomeone(r.id)).map((r) => r.id);
  const group = [
    alarm('ALM-IMP-ROOT', fibre, { perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal', isRootCause: true }),
    ...inside.map((id, i) => alarm(`ALM-IMP-IN-${i}`, id, { parentAlarmId: 'ALM-IMP-ROOT', raisedAt: new Date(T.getTime() + 1000 * (i + 1)) })),
    alarm('ALM-IMP-OUT', outside, { parentAlarmId: 'ALM-IMP-ROOT' }),
    alarm('ALM-IMP-CLEARED', clearedOutside, { parentAlarmId: 'ALM-IMP-ROOT', state: 'CLEARED', clearedAt: new Date(T.getTime() + 60_000), changedAt: new Date(T.getTime() + 60_000) }),
  ];
  const withGroup: World = { ...base, alarms: [...base.alarms, ...group] };
  // A warning on a resource of a service nothing is wrong with: DEGRADED, not DOWN; a service it is not behind stays OK.
  const clean = withGroup.services.filter((s) => s.state === 'ACTIVE' && s.customerId && worldFootprint(withGroup, s.id).size && !worldAlarmsBehind(withGroup, worldFootprint(withGroup, s.id)).length);
  const degraded = clean[0];
  const warnOn = [...worldFootprint(withGroup, degraded.id)][0];
  const warning = alarm('ALM-IMP-WARN', warnOn, { alarmType: 'EQUIPMENT_ALARM', perceivedSeverity: 'WARNING', probableCause: 'powerProblems', serviceAffecting: false });
  const world: World = { ...withGroup, alarms: [...withGroup.alarms, warning] };
  const healthy = clean.find((s) => !worldAlarmsBehind(world, worldFootprint(world, s.id)).length)!;
  return { world, fibre, inside, outside, clearedOutside, degradedServiceId: degraded.id, healthyServiceId: healthy.id };
}
