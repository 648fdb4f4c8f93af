import type { Collection, Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import type { WorldCustomer, WorldService } from '../../../seed/world.js';
import { useStack } from '../../../test/helpers/stack.js';

/**
 * SLA evaluation end to end: service measurements recorded through the gateway, judged against
 * the customer's tier (learnt from the inventory and customer subgraphs), violations with their
 * quality-of-service alarms, recovery, and the outbox events. Expected values are computed here
 * from the points sent, independently of the evaluation code.
 */
const world = generateWorld('small');
const app = useStack(world);

const customers = new Map(world.customers.map((c) => [c.id, c]));
const used = new Set<string>();
/** An active service (with supporting resources) of a customer matching `pred`, each customer used once in this file. */
function serviceOf(pred: (c: WorldCustomer) => boolean): { service: WorldService; customer: WorldCustomer } {
  const service = world.services.find((s) => s.state === 'ACTIVE' && s.supportingResourceIds.length && s.customerId && !used.has(s.customerId) && pred(customers.get(s.customerId)!));
  if (!service) throw new Error('the small world has no such service');
  used.add(service.customerId!);
  return { service, customer: customers.get(service.customerId!)! };
}
const monthlyFee = (s: WorldService) => world.offerings.find((o) => o.id === s.productOfferingId)!.prices.find((p) => p.priceType === 'RECURRING')!;

const WINDOW_MIN = 5; // SLA_EVALUATION_WINDOW_MS default
const MIN = 60_000;
const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * MIN).toISOString();

/** 1-minute points from `fromMinute` on. */
const series = (serviceId: string, indicator: string, fromMinute: number, values: number[]) =>
  values.map((value, i) => ({ serviceId, indicator, value, granularity: 'G_1MN', time: at(fromMinute + i) }));

/**
 * The rolling 5-minute averages of 1-minute points at each point's end, and the violations they
 * imply for `target`: [start, end|null, worst] in minutes after T0.
 */
function expectedViolations(values: number[], target: number): { start: number; end: number | null; worst: number }[] {
  const out: { start: number; end: number | null; worst: number }[] = [];
  let open: { start: number; end: number | null; worst: number } | null = null;
  values.forEach((_, i) => {
    const window = values.slice(Math.max(0, i + 1 - WINDOW_MIN), i + 1);
    const avg = window.reduce((a, b) => a + b, 0) / window.length;
    if (avg > target && !open) out.push((open = { start: i + 1, end: null, worst: avg }));
    else if (avg > target && open) open.worst = Math.max(open.worst, avg);
    else if (open) (open.end = i + 1), (open = null);
  });
  return out;
}

const RECORD = `mutation ($inputs: [MeasurementInput!]!) { recordMeasurements(inputs: $inputs) { status error { code message field } } }`;
async function record(inputs: object[]): Promise<string[]> {
  const res = await app.query<{ recordMeasurements: { status: string | null; error: unknown }[] }>(RECORD, { inputs });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data!.recordMeasurements.filter((r) => r.error)).toEqual([]);
  return res.data!.recordMeasurements.map((r) => r.status!);
}

interface Violation {
  id: string; state: string; tier: string; indicator: string; unit: string; target: number; actual: number; start: string; end: string | null; durationSeconds: number;
  penaltyEstimate: { amount: number; currency: string } | null; customer: { id: string; name: string }; service: { id: string };
  alarm: { id: string; state: string; alarmType: string; probableCause: string; perceivedSeverity: string; serviceAffecting: boolean; alarmedObject: { id: string };
    crossedThresholdInformation: { threshold: string; direction: string; indicatorName: string; indicatorUnit: string; observedValue: string; granularity: string } } | null;
}
const VIOLATION = `id state tier indicator unit target actual start end durationSeconds penaltyEstimate { amount currency } customer { id name } service { id }
  alarm { id state alarmType probableCause perceivedSeverity serviceAffecting alarmedObject { id }
    crossedThresholdInformation { threshold direction indicatorName indicatorUnit observedValue granularity } }`;

async function violationsOf(customerId: string, state: string | null = null): Promise<{ totalCount: number; nodes: Violation[] }> {
  const res = await app.query<{ customer: { slaViolations: { totalCount: number; edges: { node: Violation }[] } } }>(
    `query ($id: ID!, $state: SlaViolationState) { customer(id: $id) { slaViolations(state: $state) { totalCount edges { node { ${VIOLATION} } } } } }`, { id: customerId, state });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  const page = res.data!.customer.slaViolations;
  return { totalCount: page.totalCount, nodes: page.edges.map((e) => e.node) };
}

const events = (): Collection<Document> => app.stack.subgraphs.assurance.conn.db!.collection('events');

const gold = serviceOf((c) => c.segment === 'ENTERPRISE' && c.slaTier === 'GOLD');
const platinum = serviceOf((c) => c.segment === 'ENTERPRISE' && c.slaTier === 'PLATINUM');
// 10 ms for 5 minutes, 40 ms for 5, then back to 10 ms.
const GOLD_BREACH = [10, 10, 10, 10, 10, 40, 40, 40, 40, 40];
const GOLD_RECOVERY = [10, 10, 10, 10, 10];

describe('SLA breach', () => {
  it("should open a violation with actual vs target and raise a thresholdCrossed QoS alarm when a GOLD customer's latency breaches", async () => {
    const [expected] = expectedViolations(GOLD_BREACH, 20);
    expect(expected).toMatchObject({ start: 7, end: null, worst: 40 });
    await record(series(gold.service.id, 'LATENCY', 0, GOLD_BREACH));

    const { totalCount, nodes: [v] } = await violationsOf(gold.customer.id);
    expect(totalCount).toBe(1);
    const fee = monthlyFee(gold.service);
    expect(v).toMatchObject({
      state: 'OPEN', tier: 'GOLD', indicator: 'latency', unit: 'ms', target: 20, actual: expected.worst, start: at(expected.start), end: null,
      // Open: up to the last window still in breach (the end of minute 10).
      durationSeconds: (GOLD_BREACH.length - expected.start) * 60,
      // GOLD credits 5 % of the monthly fee per started hour.
      penaltyEstimate: { amount: Math.round(fee.amount * 5) / 100, currency: fee.currency },
      customer: { id: gold.customer.id, name: gold.customer.name }, service: { id: gold.service.id },
    });
    expect(v.alarm).toMatchObject({
      state: 'RAISED', alarmType: 'QUALITY_OF_SERVICE_ALARM', probableCause: 'thresholdCrossed', perceivedSeverity: 'MAJOR', serviceAffecting: false,
      alarmedObject: { id: gold.service.supportingResourceIds.at(-1) },
      crossedThresholdInformation: { threshold: '20', direction: 'UP', indicatorName: 'latency', indicatorUnit: 'ms', observedValue: String(expected.worst), granularity: 'G_1MN' },
    });
  });

  it('should close the violation and clear its alarm when the service recovers', async () => {
    const all = [...GOLD_BREACH, ...GOLD_RECOVERY];
    const [expected] = expectedViolations(all, 20);
    expect(expected.end).toBe(14);
    await record(series(gold.service.id, 'latency', GOLD_BREACH.length, GOLD_RECOVERY));

    const { totalCount, nodes: [v] } = await violationsOf(gold.customer.id);
    expect(totalCount).toBe(1);
    expect(v).toMatchObject({ state: 'CLOSED', start: at(expected.start), end: at(expected.end!), durationSeconds: (expected.end! - expected.start) * 60, actual: expected.worst });
    expect(v.alarm).toMatchObject({ state: 'CLEARED', probableCause: 'thresholdCrossed' });
    expect((await violationsOf(gold.customer.id, 'OPEN')).totalCount).toBe(0);
  });

  it('should announce opening and closing in the outbox, numbered by the counter alarm events use', async () => {
    const { nodes: [v] } = await violationsOf(gold.customer.id);
    const mine = await events().find({ $or: [{ violationId: v.id }, { alarmId: v.alarm!.id }] }).sort({ seq: 1 }).toArray();
    expect(mine.map((e) => [e.eventType, e.state, e.previousState ?? null])).toEqual([
      ['SlaViolationCreateEvent', 'OPEN', null],
      ['AlarmCreateEvent', 'RAISED', null],
      ['SlaViolationStateChangeEvent', 'CLOSED', 'OPEN'],
      ['AlarmClearEvent', 'CLEARED', 'RAISED'],
    ]);
    expect(mine[0]).toMatchObject({ customerId: gold.customer.id, serviceId: gold.service.id, indicator: 'latency', target: 20 });
    const seqs = mine.map((e) => e.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
  });

  it('should change nothing when the same measurements are ingested again', async () => {
    const before = { events: await events().countDocuments(), violations: await violationsOf(gold.customer.id) };
    const statuses = await record(series(gold.service.id, 'latency', 0, [...GOLD_BREACH, ...GOLD_RECOVERY]));
    expect(new Set(statuses)).toEqual(new Set(['UNCHANGED']));
    expect(await events().countDocuments()).toBe(before.events);
    expect(await violationsOf(gold.customer.id)).toEqual(before.violations);
  });

  it('should open and close a PLATINUM packet-loss violation within one batch, with a CRITICAL alarm raised and cleared', async () => {
    const loss = [0, 0, 0.05, 0.6, 0.6, 0.05, 0, 0, 0, 0, 0, 0];
    const expected = expectedViolations(loss, 0.1);
    expect(expected).toHaveLength(1);
    await record(series(platinum.service.id, 'PACKET_LOSS', 0, loss));
    const { nodes } = await violationsOf(platinum.customer.id);
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ state: 'CLOSED', tier: 'PLATINUM', indicator: 'packetLoss', unit: '%', target: 0.1, start: at(expected[0].start), end: at(expected[0].end!) });
    expect(nodes[0].actual).toBeCloseTo(expected[0].worst, 9);
    expect(nodes[0].alarm).toMatchObject({ state: 'CLEARED', perceivedSeverity: 'CRITICAL', crossedThresholdInformation: { threshold: '0.1', indicatorName: 'packetLoss', indicatorUnit: '%' } });
  });

  it('should keep two breaches of one batch apart: two violations, each with its own alarm', async () => {
    const { service, customer } = serviceOf((c) => c.segment === 'ENTERPRISE' && (c.slaTier === 'GOLD' || c.slaTier === 'SILVER'));
    const target = customer.slaTier === 'GOLD' ? 5 : 10; // jitter, ms
    const jitter = [1, 1, 60, 1, 1, 1, 1, 1, 1, 1, 1, 60, 60, 1, 1, 1, 1, 1, 1, 1];
    const expected = expectedViolations(jitter, target);
    expect(expected).toHaveLength(2);
    await record(series(service.id, 'jitter', 0, jitter));
    const { nodes } = await violationsOf(customer.id);
    // Most recent breach first.
    expect(nodes.map((v) => [v.state, v.start, v.end])).toEqual([...expected].reverse().map((e) => ['CLOSED', at(e.start), at(e.end!)]));
    expect(nodes.map((v) => v.alarm?.state)).toEqual(['CLEARED', 'CLEARED']);
    expect(new Set(nodes.map((v) => v.alarm!.id)).size).toBe(2);
  });
});

describe('SLA coverage', () => {
  const noSla: [string, (c: WorldCustomer) => boolean][] = [
    ['a consumer with a tier on record', (c) => c.segment === 'CONSUMER' && c.slaTier !== null],
    ['a consumer without a tier', (c) => c.segment === 'CONSUMER' && c.slaTier === null],
    ['an enterprise on BRONZE (best effort)', (c) => c.segment === 'ENTERPRISE' && c.slaTier === 'BRONZE'],
  ];
  for (const [who, pred] of noSla) {
    it(`should never open a violation for ${who}`, async () => {
      const { service, customer } = serviceOf(pred);
      await record([...series(service.id, 'latency', 0, Array(10).fill(500)), ...series(service.id, 'packetLoss', 0, Array(10).fill(50))]);
      expect((await violationsOf(customer.id)).totalCount).toBe(0);
      // Judged (not skipped for lack of an answer): the series was evaluated up to its last point.
      const evaluated = await app.stack.subgraphs.assurance.conn.db!.collection('sla_series').find({ serviceId: service.id }).toArray();
      expect(evaluated.map((s) => [s.indicator, s.pending, s.evaluatedUntil?.toISOString()]).sort()).toEqual([['latency', false, at(10)], ['packetLoss', false, at(10)]]);
      const qos = await app.stack.subgraphs.assurance.conn.db!.collection('alarms').countDocuments({ specificProblem: { $regex: `service ${service.id}$` } });
      expect(qos).toBe(0);
    });
  }

  it('should not judge indicators no tier guarantees', async () => {
    const { service, customer } = serviceOf((c) => c.segment === 'ENTERPRISE' && (c.slaTier === 'GOLD' || c.slaTier === 'SILVER'));
    await record([...series(service.id, 'throughput', 0, Array(10).fill(0)), ...series(service.id, 'prbUtilisation', 0, Array(10).fill(100))]);
    expect((await violationsOf(customer.id)).totalCount).toBe(0);
  });
});

describe('SLA violation queries', () => {
  it('should list violations across customers by state, most recent breach first, and find one by id', async () => {
    const res = await app.query<{ closed: { totalCount: number; edges: { node: { id: string; start: string; customer: { id: string } } }[] }; open: { totalCount: number } }>(
      `{ closed: slaViolations(state: CLOSED, first: 10) { totalCount edges { node { id start customer { id } } } } open: slaViolations(state: OPEN) { totalCount } }`);
    expect(res.errors).toBeUndefined();
    const { closed, open } = res.data!;
    // GOLD latency, PLATINUM packet loss, and the two jitter breaches.
    expect(closed.totalCount).toBe(4);
    expect(open.totalCount).toBe(0);
    const starts = closed.edges.map((e) => e.node.start);
    expect([...starts].sort().reverse()).toEqual(starts);
    const { nodes: [goldViolation] } = await violationsOf(gold.customer.id);
    const one = await app.query<{ slaViolation: { id: string; service: { id: string; slaViolations: { totalCount: number } } } }>(
      `query ($id: ID!) { slaViolation(id: $id) { id service { id slaViolations { totalCount } } } }`, { id: goldViolation.id });
    expect(one.data!.slaViolation).toEqual({ id: goldViolation.id, service: { id: gold.service.id, slaViolations: { totalCount: 1 } } });
    const mine = await app.query<{ slaViolations: { totalCount: number } }>(`query ($c: ID) { slaViolations(customerId: $c) { totalCount } }`, { c: gold.customer.id });
    expect(mine.data!.slaViolations.totalCount).toBe(1);
  });

  it('should answer an unknown violation with null and reject bad page arguments naming them', async () => {
    expect((await app.query(`{ slaViolation(id: "SLAV-nope") { id } }`)).data).toEqual({ slaViolation: null });
    const res = await app.query(`{ slaViolations(first: -1) { totalCount } }`);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });
});
