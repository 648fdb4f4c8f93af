import { describe, expect, it } from 'vitest';
import { graphqlRequest, representations } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { useStack } from '../../../test/helpers/stack.js';

/**
 * Measurement ingestion (TMF628) on the whole product — resources and services are checked
 * against the inventory — and the raw / 5-minute / hourly views of what was stored, against
 * aggregates computed here from the points sent.
 */
const world = generateWorld('small');
const app = useStack(world);

// Consumer services: no SLA, so these tests exercise storage and queries alone.
const [svcA, svcB, svcC] = world.services.filter((s) => s.state === 'ACTIVE' && world.customers.find((c) => c.id === s.customerId)?.segment === 'CONSUMER').map((s) => s.id);
const RESOURCE = 'gNB-001';
const T0 = Date.parse('2026-11-03T00:00:00.000Z');
const at = (minute: number, seconds = 0) => new Date(T0 + minute * 60_000 + seconds * 1000).toISOString();

interface Result { status: string | null; measurement: { id: string; value: number; time: string; granularity: string; resource: { id: string } | null; service: { id: string } | null } | null; error: { code: string; message: string; field: string | null } | null }
const RECORD = `mutation ($inputs: [MeasurementInput!]!) { recordMeasurements(inputs: $inputs) {
  status measurement { id value time granularity resource { id } service { id } } error { code message field } } }`;
async function record(inputs: object[]): Promise<Result[]> {
  const res = await app.query<{ recordMeasurements: Result[] }>(RECORD, { inputs });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.recordMeasurements;
}

interface Node { id: string; indicator: string; value: number; time: string; granularity: string }
async function serviceMeasurements(serviceId: string, args: Record<string, unknown> = {}): Promise<{ totalCount: number; nodes: Node[] }> {
  const res = await app.query<{ service: { measurements: { totalCount: number; edges: { node: Node }[] } } }>(
    `query ($id: ID!, $indicator: String, $granularity: Granularity, $from: DateTime, $to: DateTime) { service(id: $id) {
      measurements(indicator: $indicator, granularity: $granularity, from: $from, to: $to, first: 100) { totalCount edges { node { id indicator value time granularity } } } } }`,
    { id: serviceId, ...args });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  const page = res.data!.service.measurements;
  return { totalCount: page.totalCount, nodes: page.edges.map((e) => e.node) };
}
/** Straight from the assurance subgraph, which answers for any resource id (the gateway only for ones inventory knows). */
async function resourceMeasurementCount(resourceId: string, from: string, to: string): Promise<number> {
  const res = await graphqlRequest<{ _entities: { measurements: { totalCount: number } }[] }>(app.stack.subgraphs.assurance.url,
    `query ($reps: [_Any!]!, $from: DateTime, $to: DateTime) { _entities(representations: $reps) { ... on Resource { measurements(from: $from, to: $to) { totalCount } } } }`,
    { reps: representations('Resource', [resourceId]), from, to });
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0].measurements.totalCount;
}

describe('recordMeasurements', () => {
  it('should store the good inputs and refuse each bad one with an error naming its field, writing nothing for it', async () => {
    const results = await record([
      { resourceId: RESOURCE, indicator: 'latency', value: 4.5, unit: 'ms', time: at(0) },
      { serviceId: svcA, indicator: 'JITTER', value: 1.25, time: at(0) },
      { resourceId: RESOURCE, indicator: 'loudness', value: 1, time: at(1) },
      { resourceId: RESOURCE, indicator: 'latency', value: -1, time: at(2) },
      { resourceId: RESOURCE, serviceId: svcA, indicator: 'latency', value: 1, time: at(3) },
      { indicator: 'latency', value: 1, time: at(4) },
      { resourceId: RESOURCE, indicator: 'latency', value: 0.004, unit: 's', time: at(5) },
      { serviceId: svcA, indicator: 'packetLoss', value: 120, time: at(6) },
      { serviceId: 'svc-does-not-exist', indicator: 'latency', value: 1, time: at(7) },
      { resourceId: 'gNB-does-not-exist', indicator: 'latency', value: 1, time: at(8) },
    ]);
    expect(results.slice(0, 2).map((r) => [r.status, r.error])).toEqual([['CREATED', null], ['CREATED', null]]);
    expect(results[0].measurement).toMatchObject({ id: `${RESOURCE}/latency/G_1MN/${at(0)}`, value: 4.5, granularity: 'G_1MN', resource: { id: RESOURCE }, service: null });
    expect(results[1].measurement).toMatchObject({ id: `service/${svcA}/jitter/G_1MN/${at(0)}`, service: { id: svcA }, resource: null });
    expect(results.slice(2).map((r) => [r.status, r.measurement, r.error?.code, r.error?.field])).toEqual([
      [null, null, 'BAD_USER_INPUT', 'inputs[2].indicator'],
      [null, null, 'BAD_USER_INPUT', 'inputs[3].value'],
      [null, null, 'BAD_USER_INPUT', 'inputs[4].serviceId'],
      [null, null, 'BAD_USER_INPUT', 'inputs[5].resourceId'],
      [null, null, 'BAD_USER_INPUT', 'inputs[6].unit'],
      [null, null, 'BAD_USER_INPUT', 'inputs[7].value'],
      [null, null, 'BAD_USER_INPUT', 'inputs[8].serviceId'],
      [null, null, 'BAD_USER_INPUT', 'inputs[9].resourceId'],
    ]);
    expect(results[8].error!.message).toContain('svc-does-not-exist');
    expect(await resourceMeasurementCount(RESOURCE, at(0), at(10))).toBe(1);
    expect(await resourceMeasurementCount('gNB-does-not-exist', at(0), at(10))).toBe(0);
    expect((await serviceMeasurements(svcA, { from: at(0), to: at(10) })).totalCount).toBe(1);
  });

  it('should be idempotent: a repeat changes nothing, a new value replaces the stored one, a time inside the period names the period', async () => {
    const first = await record([{ serviceId: svcB, indicator: 'latency', value: 12, time: at(20) }, { serviceId: svcB, indicator: 'latency', value: 13, granularity: 'G_5MN', time: at(20) }]);
    expect(first.map((r) => r.status)).toEqual(['CREATED', 'CREATED']);
    const again = await record([
      { serviceId: svcB, indicator: 'latency', value: 12, time: at(20, 42) },
      { serviceId: svcB, indicator: 'latency', value: 13, granularity: 'G_5MN', time: at(23) },
      { serviceId: svcB, indicator: 'latency', value: 14, granularity: 'G_5MN', time: at(24, 59) },
      { serviceId: svcB, indicator: 'latency', value: 14, granularity: 'G_5MN', time: at(20) },
    ]);
    expect(again.map((r) => [r.status, r.measurement!.time, r.measurement!.id])).toEqual([
      ['UNCHANGED', at(20), first[0].measurement!.id],
      ['UNCHANGED', at(20), first[1].measurement!.id],
      ['UPDATED', at(20), first[1].measurement!.id],
      ['UNCHANGED', at(20), first[1].measurement!.id],
    ]);
    const stored = await serviceMeasurements(svcB, { from: at(20), to: at(30) });
    expect(stored.nodes.map((n) => [n.granularity, n.value]).sort()).toEqual([['G_1MN', 12], ['G_5MN', 14]]);
  });

  it('should refuse more than 10,000 inputs in one request, naming inputs', async () => {
    const inputs = Array.from({ length: 10_001 }, (_, i) => ({ serviceId: svcB, indicator: 'latency', value: 1, time: at(1000 + i) }));
    const res = await app.query(RECORD, { inputs });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'inputs' });
    expect((await serviceMeasurements(svcB, { from: at(1000) })).totalCount).toBe(0);
  });
});

describe('POST /measurements', () => {
  const post = (body: string, method = 'POST') => fetch(app.stack.subgraphs.assurance.url.replace(/\/graphql$/, '/measurements'), { method, body: method === 'POST' ? body : undefined });
  const lines = [
    JSON.stringify({ serviceId: svcC, indicator: 'throughput', value: 950, unit: 'Mbps', granularity: 'G_15MN', time: at(60) }),
    '',
    'this is not json',
    JSON.stringify({ resourceId: RESOURCE, indicator: 'latency', value: 1, time: 'yesterday' }),
    JSON.stringify({ serviceId: svcC, indicator: 'latency', values: 1, time: at(60) }),
    JSON.stringify({ serviceId: svcC, indicator: 'latency', value: 1, granularity: 'G_2H', time: at(60) }),
    JSON.stringify({ resourceId: RESOURCE, indicator: 'PRB_UTILISATION', value: 71.5, time: at(60) }),
  ];
  const answer = async (res: Response) => (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

  it('should answer one NDJSON line per input line: the id and status, or the error with its field', async () => {
    const res = await post(lines.join('\n') + '\n');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const out = await answer(res);
    expect(out.map((l) => [l.line, l.status ?? null, (l.error as { field?: string } | undefined)?.field ?? null])).toEqual([
      [1, 'CREATED', null], [3, null, null], [4, null, 'time'], [5, null, 'values'], [6, null, 'granularity'], [7, 'CREATED', null],
    ]);
    expect(out[0].id).toBe(`service/${svcC}/throughput/G_15MN/${at(60)}`);
    expect(out[1].error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((await serviceMeasurements(svcC, { from: at(60), to: at(75) })).nodes.map((n) => [n.indicator, n.value])).toEqual([['throughput', 950]]);
  });

  it('should report UNCHANGED when the same feed is posted again', async () => {
    const out = await answer(await post(lines.join('\n')));
    expect(out.filter((l) => l.status).map((l) => l.status)).toEqual(['UNCHANGED', 'UNCHANGED']);
    expect(await resourceMeasurementCount(RESOURCE, at(60), at(61))).toBe(1);
  });

  it('should refuse other methods', async () => {
    expect((await post('', 'GET')).status).toBe(405);
  });
});

describe('Service.measurements aggregation', () => {
  // Two hours of 1-minute latency, uneven on purpose.
  const latency = Array.from({ length: 120 }, (_, i) => ((i * 37) % 23) + i / 8);
  // A quarter hour of 1-minute jitter, then one 15-minute point.
  const jitterFine = Array.from({ length: 15 }, (_, i) => 1 + (i % 4) / 2);
  const jitter15 = 9;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const T = 600; // minutes after T0: clear of the other tests' points

  it('should store the series', async () => {
    const statuses = await record([
      ...latency.map((value, i) => ({ serviceId: svcA, indicator: 'latency', value, time: at(T + i) })),
      ...jitterFine.map((value, i) => ({ serviceId: svcA, indicator: 'jitter', value, time: at(T + i) })),
      { serviceId: svcA, indicator: 'jitter', value: jitter15, granularity: 'G_15MN', time: at(T + 15) },
    ]);
    expect(statuses.every((r) => r.status === 'CREATED')).toBe(true);
  });

  it('should return the raw points, oldest first', async () => {
    const raw = await serviceMeasurements(svcA, { indicator: 'latency', from: at(T), to: at(T + 100) });
    expect(raw.totalCount).toBe(100);
    expect(raw.nodes.map((n) => [n.time, n.value, n.granularity])).toEqual(latency.slice(0, 100).map((v, i) => [at(T + i), v, 'G_1MN']));
  });

  it('should average 5-minute buckets and hourly buckets, aligned on the clock', async () => {
    const five = await serviceMeasurements(svcA, { indicator: 'latency', granularity: 'G_5MN', from: at(T), to: at(T + 120) });
    expect(five.totalCount).toBe(24);
    five.nodes.forEach((n, b) => {
      expect(n.time).toBe(at(T + 5 * b));
      expect(n.value).toBeCloseTo(mean(latency.slice(5 * b, 5 * b + 5)), 9);
      expect(n.granularity).toBe('G_5MN');
    });
    expect(five.nodes[0].id).toBe(`service/${svcA}/latency/G_5MN/${at(T)}`);
    const hourly = await serviceMeasurements(svcA, { indicator: 'latency', granularity: 'G_1H', from: at(T), to: at(T + 120) });
    expect(hourly.nodes.map((n) => n.time)).toEqual([at(T), at(T + 60)]);
    expect(hourly.nodes[0].value).toBeCloseTo(mean(latency.slice(0, 60)), 9);
    expect(hourly.nodes[1].value).toBeCloseTo(mean(latency.slice(60)), 9);
  });

  it('should aggregate only the points inside the time range', async () => {
    const five = await serviceMeasurements(svcA, { indicator: 'latency', granularity: 'G_5MN', from: at(T + 17), to: at(T + 32) });
    expect(five.nodes.map((n) => n.time)).toEqual([at(T + 15), at(T + 20), at(T + 25), at(T + 30)]);
    expect(five.nodes[0].value).toBeCloseTo(mean(latency.slice(17, 20)), 9);
    expect(five.nodes[3].value).toBeCloseTo(mean(latency.slice(30, 32)), 9);
  });

  it('should weigh each point by the minutes it covers, and leave coarser points out of finer buckets', async () => {
    const hourly = await serviceMeasurements(svcA, { indicator: 'jitter', granularity: 'G_1H', from: at(T), to: at(T + 60) });
    expect(hourly.nodes).toHaveLength(1);
    expect(hourly.nodes[0].value).toBeCloseTo((jitterFine.reduce((a, b) => a + b, 0) + jitter15 * 15) / 30, 9);
    const five = await serviceMeasurements(svcA, { indicator: 'jitter', granularity: 'G_5MN', from: at(T), to: at(T + 60) });
    expect(five.nodes.map((n) => n.time)).toEqual([at(T), at(T + 5), at(T + 10)]);
  });

  it('should load the measurements of many services in one command', async () => {
    const res = await graphqlRequest<{ _entities: { id: string; measurements: { totalCount: number } }[] }>(app.stack.subgraphs.assurance.url,
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Service { id measurements(granularity: G_1H, first: 5) { totalCount } } } }`,
      { reps: representations('Service', [svcA, svcB, svcC, 'svc-none']) });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((e) => e.measurements.totalCount)).toEqual([
      (await serviceMeasurements(svcA, { granularity: 'G_1H' })).totalCount, (await serviceMeasurements(svcB, { granularity: 'G_1H' })).totalCount,
      (await serviceMeasurements(svcC, { granularity: 'G_1H' })).totalCount, 0,
    ]);
    expect(res.extensions?.dbCommands).toBe(1);
  });
});
