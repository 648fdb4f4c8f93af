import { describe, expect, it } from 'vitest';
import { generateWorld } from '../seed/generate.js';
import { SLA_TERMS } from '../subgraphs/assurance/sla/terms.js';
import { until } from './helpers/activation.js';
import { payloads, seqOf, subscribed } from './helpers/assurance.js';
import { useStackWithClient } from './helpers/stack.js';

/**
 * Issue #5's SLA scenario end to end through the gateway, on the small seed: an enterprise
 * customer's service latency breaches its tier's target over the evaluation window (default, 5
 * minutes of 1-minute points), then recovers. Targets and credits are the documented contract
 * (schema/assurance.graphql `SlaViolation`), the window averages are worked out here by hand.
 */
const world = generateWorld('small');
const customers = new Map(world.customers.map((c) => [c.id, c]));
const TARGET_MS: Record<string, number> = { PLATINUM: 10, GOLD: 20, SILVER: 40 };
const CREDIT_PERCENT_PER_HOUR: Record<string, number> = { PLATINUM: 10, GOLD: 5, SILVER: 2 };

/** Enterprise customers whose tier guarantees a latency, each with an ACTIVE service on some resource. */
const covered = world.services
  .filter((s) => s.state === 'ACTIVE' && s.supportingResourceIds.length && s.customerId)
  .map((service) => ({ service, customer: customers.get(service.customerId!)! }))
  .filter(({ customer }) => customer.segment === 'ENTERPRISE' && TARGET_MS[customer.slaTier ?? ''] !== undefined)
  .filter((x, i, all) => all.findIndex((y) => y.customer.id === x.customer.id) === i);
const [{ service, customer }, bystander] = covered;
const tier = customer.slaTier!;
const target = TARGET_MS[tier];
const fee = world.offerings.find((o) => o.id === service.productOfferingId)!.prices.find((p) => p.priceType === 'RECURRING')!;

const app = useStackWithClient(world);

const MIN = 60_000;
const T0 = Date.parse('2026-11-06T08:00:00.000Z');
const at = (minute: number) => new Date(T0 + minute * MIN).toISOString();

/** Latency points of the service, one a minute from `fromMinute`, recorded through the gateway; all must be stored. */
async function latency(fromMinute: number, values: number[]): Promise<void> {
  const inputs = values.map((value, i) => ({ serviceId: service.id, indicator: 'LATENCY', value, unit: 'ms', granularity: 'G_1MN', time: at(fromMinute + i) }));
  const res = await app.query<{ recordMeasurements: { status: string | null; error: unknown }[] }>(
    `mutation ($inputs: [MeasurementInput!]!) { recordMeasurements(inputs: $inputs) { status error { code message field } } }`, { inputs });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data!.recordMeasurements.map((r) => r.status)).toEqual(values.map(() => 'CREATED'));
}

const VIOLATION = `id state tier indicator unit target actual start end durationSeconds penaltyEstimate { amount currency }
  customer { id name } service { id }
  alarm { id state alarmType probableCause perceivedSeverity serviceAffecting alarmedObject { id }
    crossedThresholdInformation { threshold direction indicatorName indicatorUnit observedValue granularity } }`;
interface Violation {
  id: string; state: string; tier: string; indicator: string; unit: string; target: number; actual: number; start: string; end: string | null; durationSeconds: number;
  penaltyEstimate: { amount: number; currency: string } | null; customer: { id: string; name: string }; service: { id: string };
  alarm: { id: string; state: string; alarmType: string; probableCause: string; perceivedSeverity: string; serviceAffecting: boolean; alarmedObject: { id: string };
    crossedThresholdInformation: Record<string, string | null> | null } | null;
}

/** The customer's violations and network issues, as the CSR desk sees them through the gateway. */
async function desk(): Promise<{ violations: Violation[]; networkIssues: string[] }> {
  const res = await app.query<{ slaViolations: { totalCount: number; edges: { node: Violation }[] }; customer: { networkIssues: { id: string }[] } }>(
    `query ($c: ID!) { slaViolations(customerId: $c) { totalCount edges { node { ${VIOLATION} } } } customer(id: $c) { networkIssues { id } } }`, { c: customer.id });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data!.slaViolations.totalCount).toBe(res.data!.slaViolations.edges.length);
  return { violations: res.data!.slaViolations.edges.map((e) => e.node), networkIssues: res.data!.customer.networkIssues.map((a) => a.id) };
}

const WATCH = `subscription ($customerId: ID) { slaViolationChanged(customerId: $customerId) {
  cursor state previousState at violation { id state indicator actual target customer { id name } service { id } } } }`;
interface Change { cursor: string; state: string; previousState: string | null; at: string; violation: { id: string; state: string; indicator: string; actual: number; target: number; customer: { id: string; name: string }; service: { id: string } } }

describe('an SLA breach and its recovery through the gateway', () => {
  it('should open a violation with its quality-of-service alarm on a breach, and close both on recovery, live on the subscription', async () => {
    expect(bystander).toBeDefined();
    const mine = await subscribed(app, app.client, WATCH, { customerId: customer.id });
    const theirs = await subscribed(app, app.client, WATCH, { customerId: bystander.customer.id });
    const changes = () => payloads<Change>(mine, 'slaViolationChanged');

    // A whole window at three times the target: the average breaches from the first point on.
    await latency(0, [3, 3, 3, 3, 3].map((k) => k * target));
    // Evaluated before the mutation returns: the violation and its alarm are there at once.
    const open = await desk();
    expect(open.violations).toHaveLength(1);
    const [v] = open.violations;
    expect(v).toMatchObject({
      state: 'OPEN', tier, indicator: 'latency', unit: 'ms', target, actual: 3 * target, start: at(1), end: null,
      durationSeconds: 4 * 60, // up to the latest window in breach, the end of minute 5
      penaltyEstimate: { amount: Math.round(fee.amount * CREDIT_PERCENT_PER_HOUR[tier]) / 100, currency: fee.currency }, // a started first hour
      customer: { id: customer.id, name: customer.name }, service: { id: service.id },
      alarm: {
        state: 'RAISED', alarmType: 'QUALITY_OF_SERVICE_ALARM', probableCause: 'thresholdCrossed', perceivedSeverity: SLA_TERMS[tier]!.alarmSeverity, serviceAffecting: false,
        crossedThresholdInformation: { threshold: String(target), direction: 'UP', indicatorName: 'latency', indicatorUnit: 'ms', observedValue: String(3 * target), granularity: 'G_1MN' },
      },
    });
    expect(service.supportingResourceIds).toContain(v.alarm!.alarmedObject.id);
    expect(open.networkIssues).toContain(v.alarm!.id);
    await until(() => changes().length >= 1, 10_000, 'the opening on the stream');

    // Back to a quarter of the target: window averages 2.45, 1.9, 1.35 then 0.8 × target, so the
    // violation closes at the end of minute 9, after 8 minutes in breach.
    await latency(5, [1, 1, 1, 1, 1].map(() => target / 4));
    const closed = await desk();
    expect(closed.violations).toHaveLength(1);
    expect(closed.violations[0]).toMatchObject({ id: v.id, state: 'CLOSED', actual: 3 * target, start: at(1), end: at(9), durationSeconds: 8 * 60, alarm: { id: v.alarm!.id, state: 'CLEARED' } });
    expect(closed.networkIssues).not.toContain(v.alarm!.id);

    await until(() => changes().length >= 2, 10_000, 'the closing on the stream');
    await new Promise((r) => setTimeout(r, 500)); // anything more would be a duplicate: give it time to show
    const [opened, recovered, ...more] = changes();
    expect(more).toEqual([]);
    expect(opened).toMatchObject({ state: 'OPEN', previousState: null, at: at(1), violation: { id: v.id, indicator: 'latency', target, actual: 3 * target, customer: { id: customer.id, name: customer.name }, service: { id: service.id } } });
    expect(recovered).toMatchObject({ state: 'CLOSED', previousState: 'OPEN', at: at(9), violation: { id: v.id, state: 'CLOSED' } });
    expect(seqOf(recovered.cursor)).toBeGreaterThan(seqOf(opened.cursor));
    expect(theirs.results).toEqual([]);
    mine.unsubscribe();
    theirs.unsubscribe();
  });
});
