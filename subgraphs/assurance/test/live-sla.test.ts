import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphqlRequest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { startStackUnderTest, type StackUnderTest } from '../../../test/helpers/stack.js';
import { Recorder, wsClient } from '../../order/test/ws-recorder.js';
import { OutboxHub } from '../live/hub.js';
import { seqOf, sleep } from './live-watch.js';

/**
 * `slaViolationChanged` over graphql-ws, fed by the SLA evaluation: service latency measurements
 * of an enterprise customer breach its tier's target (a violation opens), then recover (it
 * closes). The whole product runs (measurements are checked against inventory).
 */
const world = generateWorld('small');
/** Enterprise customers whose tier guarantees a latency, with an active service. */
const covered = world.customers
  .filter((c) => c.segment === 'ENTERPRISE' && (c.slaTier === 'GOLD' || c.slaTier === 'PLATINUM'))
  .map((c) => ({ customer: c, service: world.services.find((s) => s.customerId === c.id && s.state === 'ACTIVE') }))
  .filter((x) => x.service);
const [watched, other] = covered;

interface Change { cursor: string; state: string; previousState: string | null; at: string; violation: { id: string; state: string; indicator: string; actual: number; target: number; customer: { id: string }; service: { id: string } } }
type Event = { slaViolationChanged: Change };
const WATCH = `subscription ($customerId: ID, $after: String) { slaViolationChanged(customerId: $customerId, after: $after) {
  cursor state previousState at violation { id state indicator actual target customer { id } service { id } } } }`;

let sut: StackUnderTest;
let client: Client;
beforeAll(async () => {
  // A one-minute evaluation window: one 1-minute point is a window's worth of evidence.
  sut = await startStackUnderTest(world, { slaEvaluationWindowMs: 60_000 });
  client = wsClient(sut.stack.subgraphs.assurance.url);
});
afterAll(async () => {
  await client?.dispose();
  await sut?.stop();
});

const T0 = Date.parse('2026-11-01T10:00:00.000Z');
async function latency(serviceId: string, minute: number, value: number): Promise<void> {
  const res = await graphqlRequest<{ recordMeasurements: { error: unknown }[] }>(sut.stack.subgraphs.assurance.url,
    `mutation ($inputs: [MeasurementInput!]!) { recordMeasurements(inputs: $inputs) { status error { code message } } }`,
    { inputs: [{ serviceId, indicator: 'latency', value, unit: 'ms', granularity: 'G_1MN', time: new Date(T0 + minute * 60_000).toISOString() }] });
  expect(res.errors).toBeUndefined();
  expect(res.data!.recordMeasurements[0].error).toBeNull();
}

async function watch(variables: Record<string, unknown>): Promise<Recorder<Event>> {
  const r = new Recorder<Event>(client, WATCH, variables);
  // The subscription is live once it holds the shared outbox stream.
  for (let i = 0; OutboxHub.active === 0 && i < 100; i++) await sleep(20);
  await sleep(200);
  return r;
}

describe('slaViolationChanged', () => {
  it("should stream a customer's violation opening and closing, and replay after a cursor", async () => {
    expect(watched && other).toBeTruthy();
    const mine = await watch({ customerId: watched.customer.id });
    const theirs = await watch({ customerId: other.customer.id });
    const service = watched.service!.id;
    await latency(service, 0, 80); // far above GOLD's and PLATINUM's targets
    await mine.count(1, 10_000);
    await latency(service, 1, 1);
    await latency(service, 2, 1);
    await mine.count(2, 10_000);
    await sleep(300);
    const [opened, closed] = mine.events.map((e) => e.slaViolationChanged);
    expect(mine.events).toHaveLength(2);
    expect(opened).toMatchObject({ state: 'OPEN', previousState: null, violation: { indicator: 'latency', customer: { id: watched.customer.id }, service: { id: service } } });
    expect(opened.violation.actual).toBeGreaterThan(opened.violation.target);
    expect(closed).toMatchObject({ state: 'CLOSED', previousState: 'OPEN', violation: { id: opened.violation.id, state: 'CLOSED' } });
    expect(seqOf(closed.cursor)).toBeGreaterThan(seqOf(opened.cursor));
    expect(theirs.events).toEqual([]);

    const resumed = new Recorder<Event>(client, WATCH, { customerId: watched.customer.id, after: opened.cursor });
    await resumed.count(1, 10_000);
    await sleep(300);
    expect(resumed.events.map((e) => [e.slaViolationChanged.cursor, e.slaViolationChanged.state])).toEqual([[closed.cursor, 'CLOSED']]);
    for (const r of [mine, theirs, resumed]) r.unsubscribe();
  });

  it('should refuse an alarm cursor with BAD_USER_INPUT naming `after`', async () => {
    const r = new Recorder<Event>(client, WATCH, { after: Buffer.from('AlarmChange:1').toString('base64url') });
    await r.until((x) => x.errors !== undefined);
    expect(r.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });
});
