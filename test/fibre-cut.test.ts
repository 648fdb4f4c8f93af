import { describe, expect, it } from 'vitest';
import { generateWorld } from '../seed/generate.js';
import { until } from './helpers/activation.js';
import { clearAlarm, outageNotes, payloads, raise, raiseMany, seqOf, subscribed, type Alarm, type OutageNotes } from './helpers/assurance.js';
import { bruteForceImpact } from './helpers/impact-oracle.js';
import { useStackWithClient } from './helpers/stack.js';

/**
 * Issue #5 end to end, through the gateway on the small seed: a fibre cut (correlation, impact,
 * the CSR's view, proactive CRM care), deduplication, and an alarm storm on the live stream.
 * Every expectation about who is hurt comes from the brute-force oracle over the seed world, not
 * from the product's topology code.
 */
const world = generateWorld('small');
const customers = new Map(world.customers.map((c) => [c.id, c]));
const activeServices = world.services.filter((s) => s.state === 'ACTIVE' && s.customerId);

/** The fibre link with the most customers behind it: the worst cut the seed topology allows. */
const [worst] = world.resources.filter((r) => r.category === 'FIBRE_LINK')
  .map((r) => ({ id: r.id, impact: bruteForceImpact(world, r.id) }))
  .sort((a, b) => b.impact.customerIds.length - a.impact.customerIds.length);
const FIBRE = worst.id;
const cut = worst.impact;
const behind = (category: string) => world.resources.filter((r) => r.category === category && cut.resourceIds.has(r.id)).map((r) => r.id);
/** The ONT whose alarm the EMS reports before the fibre's: it must end up under the fibre's alarm. */
const EARLY = behind('ONT').find((id) => bruteForceImpact(world, id).customerIds.length > 0)!;
const LATER = [behind('AGGREGATION_ROUTER')[0], behind('ACCESS_ROUTER')[0], behind('GNB')[1], ...behind('ONT').filter((id) => id !== EARLY).slice(0, 3)];
/** ONTs away from the fibre: their alarms correlate with nothing of the cut. */
const ELSEWHERE = world.resources.filter((r) => r.category === 'ONT' && !cut.resourceIds.has(r.id)).map((r) => r.id);
const unaffectedCustomer = activeServices.find((s) => !cut.customerIds.includes(s.customerId!))!.customerId!;
const affectedService = activeServices.find((s) => cut.serviceIds.includes(s.id))!;

const app = useStackWithClient(world);

const WATCH_FAULTS = `subscription { alarmChanged { cursor eventType state previousState coalesced
  alarm { id isRootCause parentAlarm { id } alarmedObject { id impactedCustomers(first: 5) { totalCount } } } } }`;
interface FaultChange {
  cursor: string; eventType: string; state: string; previousState: string | null; coalesced: number;
  alarm: { id: string; isRootCause: boolean; parentAlarm: { id: string } | null; alarmedObject: { id: string; impactedCustomers: { totalCount: number } } };
}

const ROOT_VIEW = `query ($id: ID!) { alarm(id: $id) { isRootCause
  childAlarms(first: 50) { totalCount edges { node { id parentAlarm { id } isRootCause } } }
  impact { serviceCount customerCount enterpriseCustomerCount bySlaTier { tier count } }
  impactedServices(first: 100) { totalCount } impactedCustomers(first: 100) { totalCount edges { node { id } } } } }`;
type RootView = { alarm: { isRootCause: boolean; childAlarms: { totalCount: number; edges: { node: { id: string; parentAlarm: { id: string } | null; isRootCause: boolean } }[] };
  impact: { serviceCount: number; customerCount: number; enterpriseCustomerCount: number; bySlaTier: { tier: string; count: number }[] };
  impactedServices: { totalCount: number }; impactedCustomers: { totalCount: number; edges: { node: { id: string } }[] } } };

const CSR_VIEW = `query ($customer: ID!, $service: ID!) { customer(id: $customer) { networkIssues { id } } service(id: $service) { health { status alarms { id } } } }`;
type CsrView = { customer: { networkIssues: { id: string }[] }; service: { health: { status: string; alarms: { id: string }[] } } };
async function csrView(customer: string, service: string): Promise<CsrView> {
  const res = await app.query<CsrView>(CSR_VIEW, { customer, service });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!;
}

/** The cut as the tests below share it (they run in order, each picking up where the last stopped). */
const incident = {} as { early: Alarm; root: Alarm; later: Alarm[]; ids: string[]; notes: Map<string, OutageNotes> };
const noticeFrom = (alarmId: string, customerId: string) => `INT-OUT-${alarmId}-${customerId}`;

describe('a fibre cut through the gateway', () => {
  it('should show one root cause with every downstream alarm under it, and the impact the topology implies', async () => {
    const w = await subscribed(app, app.client, WATCH_FAULTS);
    const early = await raise(app, { resourceId: EARLY, perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal', specificProblem: 'no upstream light', serviceAffecting: true });
    // The EMS's first report is out on the stream before the fibre's own alarm arrives.
    await until(() => payloads<FaultChange>(w, 'alarmChanged').some((c) => c.alarm.id === early.id), 10_000, 'the early alarm on the stream');
    const root = await raise(app, { resourceId: FIBRE, perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal', specificProblem: 'fibre cut', serviceAffecting: true });
    const later = await raiseMany(app, LATER.map((resourceId) => ({ resourceId, perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal', specificProblem: 'upstream down', serviceAffecting: true })));
    Object.assign(incident, { early, root, later, ids: [early.id, root.id, ...later.map((a) => a.id)] });

    expect(root).toMatchObject({ isRootCause: true, parentAlarm: null, state: 'RAISED', alarmedObject: { id: FIBRE } });
    for (const child of later) expect(child).toMatchObject({ isRootCause: false, parentAlarm: { id: root.id } });
    const res = await app.query<RootView>(ROOT_VIEW, { id: root.id });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const view = res.data!.alarm;
    // The early ONT alarm was re-parented: the group is flat, the root is the only root cause.
    expect(view.childAlarms.totalCount).toBe(1 + later.length);
    expect(new Set(view.childAlarms.edges.map((e) => e.node.id))).toEqual(new Set([early.id, ...later.map((a) => a.id)]));
    for (const { node } of view.childAlarms.edges) expect(node).toMatchObject({ parentAlarm: { id: root.id }, isRootCause: false });

    const enterprise = cut.customerIds.filter((id) => customers.get(id)!.segment === 'ENTERPRISE').length;
    const bySlaTier = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'].map((tier) => ({ tier, count: cut.customerIds.filter((id) => customers.get(id)!.slaTier === tier).length }));
    expect(view.impact).toEqual({ serviceCount: cut.serviceIds.length, customerCount: cut.customerIds.length, enterpriseCustomerCount: enterprise, bySlaTier });
    expect(view.impactedServices.totalCount).toBe(cut.serviceIds.length);
    expect(view.impactedCustomers.totalCount).toBe(cut.customerIds.length);
    expect(view.impactedCustomers.edges.map((e) => e.node.id)).toEqual(cut.customerIds);
    // A child alone (not a root cause) is judged by what its own resource's failure implies.
    const router = later[1];
    const own = await app.query<{ alarm: { impact: { customerCount: number; serviceCount: number } } }>(`query ($id: ID!) { alarm(id: $id) { impact { customerCount serviceCount } } }`, { id: router.id });
    const routerCut = bruteForceImpact(world, router.alarmedObject.id);
    expect(own.data!.alarm.impact).toEqual({ customerCount: routerCut.customerIds.length, serviceCount: routerCut.serviceIds.length });

    // Live: every alarm of the cut, in order, each expanded across inventory and customer.
    const all = () => payloads<FaultChange>(w, 'alarmChanged').filter((c) => incident.ids.includes(c.alarm.id));
    await until(() => all().length >= incident.ids.length + 1, 10_000, 'the cut on the stream');
    await new Promise((r) => setTimeout(r, 500)); // past the coalescing window: anything held is out
    const changes = all();
    const cursors = changes.map((c) => seqOf(c.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(changes.map((c) => [c.alarm.id, c.eventType])).toEqual([[early.id, 'CREATE'], [root.id, 'CREATE'], [early.id, 'ATTRIBUTE_VALUE_CHANGE'], ...later.map((a) => [a.id, 'CREATE'])]);
    for (const c of changes) expect(c.alarm.alarmedObject.impactedCustomers.totalCount).toBe(bruteForceImpact(world, c.alarm.alarmedObject.id).customerIds.length);
    expect(changes.find((c) => c.alarm.id === root.id)!.alarm.isRootCause).toBe(true);
    expect(changes.at(-1)!.alarm.parentAlarm).toEqual({ id: root.id });
    w.unsubscribe();
  });

  it("should show the cut on an affected customer's network issues and service health, and not on an unaffected customer's", async () => {
    const affected = await csrView(affectedService.customerId!, affectedService.id);
    expect(affected.customer.networkIssues.map((a) => a.id)).toContain(incident.root.id);
    expect(affected.service.health.status).toBe('DOWN');
    expect(affected.service.health.alarms.map((a) => a.id)).toContain(incident.root.id);
    const elsewhere = activeServices.find((s) => s.customerId === unaffectedCustomer)!;
    const unaffected = await csrView(unaffectedCustomer, elsewhere.id);
    expect(unaffected.customer.networkIssues.map((a) => a.id).filter((id) => incident.ids.includes(id))).toEqual([]);
    expect(unaffected.service.health.alarms.map((a) => a.id).filter((id) => incident.ids.includes(id))).toEqual([]);
  });

  it('should notify every customer behind the fibre exactly once, and nobody else', async () => {
    const { root, early, ids } = incident;
    await until(async () => {
      incident.notes = await outageNotes(app, ids);
      return cut.customerIds.every((id) => incident.notes.get(id)!.notices.length > 0);
    }, 30_000, 'outage notifications');
    // The NOC takes the incident: every change re-announces the root as an active root cause to CRM care.
    const ack = await app.query<{ acknowledgeAlarms: { matched: number; changed: number }; commentAlarm: { id: string } }>(
      `mutation ($id: ID!) { acknowledgeAlarms(pattern: { rootCauseAlarmId: $id }, ackUserId: "noc-1") { matched changed }
        commentAlarm(id: $id, comment: "field team dispatched", userId: "noc-1") { id } }`, { id: root.id });
    expect(ack.errors, JSON.stringify(ack.errors)).toBeUndefined();
    expect(ack.data!.acknowledgeAlarms).toEqual({ matched: ids.length, changed: ids.length });
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate would come late: give it time to show
    const notes = (incident.notes = await outageNotes(app, ids));
    const earlyCustomers = bruteForceImpact(world, EARLY).customerIds;
    for (const [customerId, { notices }] of notes) {
      if (!cut.customerIds.includes(customerId)) expect(notices, customerId).toEqual([]);
      // Told once about the cut: by the fibre's alarm, or by the ONT's own if care got to it before the fibre's arrived.
      else if (earlyCustomers.includes(customerId)) expect([[noticeFrom(root.id, customerId)], [noticeFrom(early.id, customerId)]]).toContainEqual(notices);
      else expect(notices).toEqual([noticeFrom(root.id, customerId)]);
    }
    expect(notes.get(unaffectedCustomer)).toEqual({ notices: [], closings: [] });
  });

  it('should send a closing note once per notified customer when the cut clears', async () => {
    const { root, ids } = incident;
    const w = await subscribed(app, app.client, WATCH_FAULTS);
    expect(await clearAlarm(app, root.id)).toMatchObject({ state: 'CLEARED' });
    // Clearing the root alone closes every notice of the incident, those sent by the ONT's alarm
    // while it was a root cause for a moment included: the root took them over.
    await until(async () => {
      const notes = await outageNotes(app, ids);
      return cut.customerIds.every((id) => notes.get(id)!.closings.length > 0);
    }, 30_000, 'closing notes once the root cleared');
    // The light is back: the EMS clears the downstream alarms too.
    const group = await app.query<{ clearAlarms: { matched: number; changed: number } }>(
      `mutation ($id: ID!) { clearAlarms(pattern: { rootCauseAlarmId: $id }) { matched changed } }`, { id: root.id });
    expect(group.data?.clearAlarms).toEqual({ matched: ids.length, changed: ids.length - 1 });
    await until(async () => {
      const notes = await outageNotes(app, ids);
      return cut.customerIds.every((id) => notes.get(id)!.closings.length > 0);
    }, 30_000, 'closing notes');
    await new Promise((r) => setTimeout(r, 1000));
    for (const [customerId, { notices, closings }] of await outageNotes(app, ids)) {
      expect(notices, customerId).toEqual(incident.notes.get(customerId)!.notices);
      expect(closings, customerId).toEqual(notices.map((n) => n.replace('INT-OUT-', 'INT-OUTCLR-')));
    }
    const cleared = payloads<FaultChange>(w, 'alarmChanged').find((c) => c.alarm.id === root.id);
    expect(cleared).toMatchObject({ eventType: 'CLEAR', state: 'CLEARED', previousState: 'RAISED', coalesced: 1 });
    const after = await csrView(affectedService.customerId!, affectedService.id);
    expect(after.customer.networkIssues.map((a) => a.id).filter((id) => ids.includes(id))).toEqual([]);
    expect(after.service.health.alarms.map((a) => a.id).filter((id) => ids.includes(id))).toEqual([]);
    w.unsubscribe();
  });
});

describe('deduplication through the gateway', () => {
  it('should fold a repeated report of an active fault into one UPDATED alarm counting both', async () => {
    const report = { resourceId: ELSEWHERE[0], perceivedSeverity: 'MINOR', probableCause: 'dyingGasp', specificProblem: 'power loss' };
    const first = await raise(app, report);
    const again = await raise(app, { ...report, perceivedSeverity: 'MAJOR' });
    expect(first).toMatchObject({ state: 'RAISED', count: 1 });
    expect(again).toMatchObject({ id: first.id, state: 'UPDATED', count: 2, perceivedSeverity: 'MAJOR' });
    expect(again.alarmChangedTime).not.toBeNull();
    const other = await raise(app, { ...report, specificProblem: 'battery low' }); // another problem: another fault
    expect(other.id).not.toBe(first.id);
    const res = await app.query<{ alarms: { totalCount: number } }>(`query ($r: ID!) { alarms(filter: { resourceId: $r, active: true }) { totalCount } }`, { r: report.resourceId });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data!.alarms.totalCount).toBe(2);
  });
});

const WATCH_STORM = `subscription { alarmChanged { cursor eventType state perceivedSeverity coalesced alarm { id state count perceivedSeverity } } }`;
interface StormChange { cursor: string; eventType: string; state: string; perceivedSeverity: string; coalesced: number; alarm: { id: string; state: string; count: number; perceivedSeverity: string } }

describe('an alarm storm on the live stream', () => {
  it('should deliver 200 updates of one alarm coalesced, in order, each change accounted for once, the last state exact', async () => {
    const w = await subscribed(app, app.client, WATCH_STORM);
    const fault = { resourceId: ELSEWHERE[1], probableCause: 'linkFlap', specificProblem: 'port flapping' };
    const others: Alarm[] = [];
    const started = Date.now();
    // A flapping port seen by ten collectors at once: reports 1..199 in whatever order they land,
    // with a few unrelated alarms in between; the 200th, alone, sets the state to expect.
    let next = 1;
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = next++; i < 200; i = next++) {
        await raise(app, { ...fault, perceivedSeverity: i % 2 ? 'MAJOR' : 'MINOR' });
        if (i % 25 === 0) others.push(await raise(app, { resourceId: ELSEWHERE[1 + i / 25], perceivedSeverity: 'WARNING', probableCause: 'highTemperature' }));
      }
    }));
    const stormy = await raise(app, { ...fault, perceivedSeverity: 'CRITICAL' });
    expect(stormy).toMatchObject({ state: 'UPDATED', count: 200, perceivedSeverity: 'CRITICAL' });

    const of = (id: string) => payloads<StormChange>(w, 'alarmChanged').filter((c) => c.alarm.id === id);
    const accounted = (id: string) => of(id).reduce((n, c) => n + c.coalesced, 0);
    await until(() => accounted(stormy.id) === 200 && others.every((o) => accounted(o.id) === 1), 15_000, 'the storm delivered');
    const elapsed = Date.now() - started;
    await new Promise((r) => setTimeout(r, 500)); // past the coalescing window: anything more would be a duplicate
    const all = payloads<StormChange>(w, 'alarmChanged');
    const cursors = all.map((c) => seqOf(c.cursor));
    for (let i = 1; i < cursors.length; i++) expect(cursors[i]).toBeGreaterThan(cursors[i - 1]);
    const storm = of(stormy.id);
    expect(accounted(stormy.id)).toBe(200); // nothing lost, nothing twice
    // At most one delivery per coalescing window (ALARM_COALESCE_MS, 250 ms by default): far fewer than the updates.
    expect(storm.length).toBeLessThanOrEqual(1 + Math.ceil(elapsed / 250));
    expect(storm.length).toBeLessThan(50);
    expect(storm[0]).toMatchObject({ eventType: 'CREATE', state: 'RAISED', coalesced: 1 });
    expect(storm.at(-1)).toMatchObject({ state: 'UPDATED', perceivedSeverity: 'CRITICAL', alarm: { state: 'UPDATED', count: 200, perceivedSeverity: 'CRITICAL' } });
    expect(others).toHaveLength(7);
    for (const o of others) expect(of(o.id)).toMatchObject([{ eventType: 'CREATE', coalesced: 1 }]);

    // A clear is never held back or swallowed, however stormy the alarm.
    await clearAlarm(app, stormy.id);
    await until(() => of(stormy.id).at(-1)!.state === 'CLEARED', 10_000, 'the clear delivered');
    expect(of(stormy.id).at(-1)).toMatchObject({ eventType: 'CLEAR', coalesced: 1, alarm: { state: 'CLEARED', count: 200 } });
    w.unsubscribe();
  });
});
