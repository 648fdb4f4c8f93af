import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { fixtureWorld, PROBED_RESOURCES, T0 } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

interface Node { id: string; resource: { id: string }; indicator: string; value: number; unit: string | null; granularity: string; time: string }
interface Page { totalCount: number; edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

const MEASUREMENTS = `query ($reps: [_Any!]!, $indicator: String, $from: DateTime, $to: DateTime, $granularity: Granularity, $first: Int, $after: String) {
  _entities(representations: $reps) { ... on Resource { id
    measurements(indicator: $indicator, from: $from, to: $to, granularity: $granularity, first: $first, after: $after) {
      totalCount edges { cursor node { id resource { id } indicator value unit granularity time } } pageInfo { hasNextPage endCursor } } } } }`;

const iso = (minutes: number) => new Date(T0.getTime() + minutes * 60_000).toISOString();

async function measurementsOf(resourceId: string, args: Record<string, unknown> = {}) {
  const res = await sut.query<{ _entities: { measurements: Page }[] }>(MEASUREMENTS, { reps: [{ __typename: 'Resource', id: resourceId }], first: 100, ...args });
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0].measurements;
}
const points = (page: Page) => page.edges.map((e) => [e.node.indicator, e.node.time, e.node.value]);

describe('Resource.measurements stored points', () => {
  it('should list every stored point oldest first, indicators in name order within a period', async () => {
    const page = await measurementsOf('gNB-001');
    expect(page.totalCount).toBe(48);
    expect(points(page).slice(0, 4)).toEqual([['latency', iso(0), 10], ['prbUtilisation', iso(0), 0], ['latency', iso(15), 11], ['prbUtilisation', iso(15), 1]]);
  });

  it('should describe each point fully, with a stable id and a resource stub', async () => {
    const page = await measurementsOf('slice-5g-001', { first: 1 });
    expect(page.edges[0].node).toEqual({
      id: `slice-5g-001/throughput/G_15MN/${iso(0)}`, resource: { id: 'slice-5g-001' }, indicator: 'throughput', value: 100, unit: 'Mbps', granularity: 'G_15MN', time: iso(0),
    });
  });

  it('should filter by indicator, in camelCase or SCREAMING_SNAKE spelling', async () => {
    const camel = await measurementsOf('gNB-001', { indicator: 'prbUtilisation' });
    expect(camel.totalCount).toBe(24);
    expect(camel.edges.every((e) => e.node.indicator === 'prbUtilisation' && e.node.unit === '%')).toBe(true);
    expect(await measurementsOf('gNB-001', { indicator: 'PRB_UTILISATION' })).toEqual(camel);
    expect((await measurementsOf('gNB-001', { indicator: 'jitter' })).totalCount).toBe(0);
  });

  it('should keep points at or after from and before to', async () => {
    const page = await measurementsOf('gNB-001', { indicator: 'latency', from: iso(60), to: iso(120) });
    expect(points(page)).toEqual([60, 75, 90, 105].map((m) => ['latency', iso(m), 10 + m / 15]));
    expect((await measurementsOf('gNB-001', { indicator: 'latency', from: iso(300) })).totalCount).toBe(4);
    expect((await measurementsOf('gNB-001', { indicator: 'latency', to: iso(30) })).totalCount).toBe(2);
    expect((await measurementsOf('gNB-001', { from: iso(60), to: iso(60) })).totalCount).toBe(0);
  });

  it('should page through the points', async () => {
    const seen: unknown[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await measurementsOf('gNB-001', { first: 10, after });
      expect(page.totalCount).toBe(48);
      seen.push(...points(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(points(await measurementsOf('gNB-001')));
  });

  it('should default to 20 points per page', async () => {
    const res = await sut.query<{ _entities: { measurements: Page }[] }>(`{ _entities(representations: [{ __typename: "Resource", id: "gNB-001" }]) { ... on Resource { measurements { totalCount edges { cursor } } } } }`);
    expect(res.data!._entities[0].measurements.edges).toHaveLength(20);
  });

  it('should answer a resource without measurements with an empty connection', async () => {
    expect(await measurementsOf('NEVER-SEEN')).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('Resource.measurements granularity', () => {
  it('should return stored points as they are at their own granularity', async () => {
    const stored = await measurementsOf('gNB-001', { indicator: 'latency' });
    const same = await measurementsOf('gNB-001', { indicator: 'latency', granularity: 'G_15MN' });
    expect(same.edges.map((e) => e.node)).toEqual(stored.edges.map((e) => e.node));
  });

  it('should roll finer points up into hourly averages aligned on the hour', async () => {
    const page = await measurementsOf('gNB-001', { indicator: 'prbUtilisation', granularity: 'G_1H' });
    expect(page.totalCount).toBe(6);
    expect(page.edges.map((e) => [e.node.time, e.node.value, e.node.granularity])).toEqual([0, 1, 2, 3, 4, 5].map((h) => [iso(60 * h), 4 * h + 1.5, 'G_1H']));
    expect(page.edges[0].node).toMatchObject({ id: `gNB-001/prbUtilisation/G_1H/${iso(0)}`, resource: { id: 'gNB-001' }, unit: '%' });
  });

  it('should roll every indicator up, oldest first, and into a daily average', async () => {
    const hourly = await measurementsOf('gNB-001', { granularity: 'G_1H', first: 4 });
    expect(hourly.totalCount).toBe(12);
    expect(points(hourly)).toEqual([['latency', iso(0), 11.5], ['prbUtilisation', iso(0), 1.5], ['latency', iso(60), 15.5], ['prbUtilisation', iso(60), 5.5]]);
    const daily = await measurementsOf('gNB-001', { granularity: 'G_24H' });
    expect(points(daily)).toEqual([['latency', iso(0), 21.5], ['prbUtilisation', iso(0), 11.5]]);
  });

  it('should roll up only the points inside the time range', async () => {
    const page = await measurementsOf('gNB-001', { indicator: 'prbUtilisation', granularity: 'G_1H', from: iso(90), to: iso(180) });
    expect(points(page)).toEqual([['prbUtilisation', iso(60), 6.5], ['prbUtilisation', iso(120), 9.5]]);
  });

  it('should have nothing finer than what is stored', async () => {
    expect((await measurementsOf('gNB-001', { granularity: 'G_5MN' })).totalCount).toBe(0);
  });

  it('should page through roll-ups', async () => {
    const first = await measurementsOf('gNB-001', { granularity: 'G_1H', first: 5 });
    const rest = await measurementsOf('gNB-001', { granularity: 'G_1H', first: 100, after: first.pageInfo.endCursor });
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect([...points(first), ...points(rest)]).toEqual(points(await measurementsOf('gNB-001', { granularity: 'G_1H' })));
  });
});

describe('Resource.measurements bad input', () => {
  const firstError = async (args: Record<string, unknown>) =>
    (await sut.query(MEASUREMENTS, { reps: [{ __typename: 'Resource', id: 'gNB-001' }], ...args })).errors?.[0];

  it('should reject a time range that ends before it starts, naming to', async () => {
    expect((await firstError({ from: iso(120), to: iso(60) }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'to' });
  });

  it('should reject bad page arguments naming them', async () => {
    expect((await firstError({ first: -5 }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    expect((await firstError({ first: 101 }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
    expect((await firstError({ after: '!!' }))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('should reject a malformed date-time and an unknown granularity', async () => {
    const date = await firstError({ from: 'yesterday' });
    expect(date?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(date?.message).toContain('from');
    const literal = await sut.query(`{ _entities(representations: [{ __typename: "Resource", id: "gNB-001" }]) { ... on Resource { measurements(granularity: G_2H) { totalCount } } } }`);
    expect(literal.errors?.[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('Resource.measurements batching', () => {
  const probe = async (ids: string[], args: Record<string, unknown> = {}) => {
    const res = await sut.query<{ _entities: { id: string; measurements: Page }[] }>(MEASUREMENTS, { reps: representations('Resource', ids), first: 5, ...args });
    expect(res.errors).toBeUndefined();
    return res;
  };

  it('should load one page for each of many resources in one command', async () => {
    const one = await probe(PROBED_RESOURCES.slice(0, 1));
    const many = await probe([...PROBED_RESOURCES, 'gNB-001', 'NEVER-SEEN']);
    expect(many.data!._entities.slice(0, PROBED_RESOURCES.length).map((e) => points(e.measurements))).toEqual(PROBED_RESOURCES.map((_, i) => [['latency', iso(0), i]]));
    expect(many.data!._entities[PROBED_RESOURCES.length].measurements.totalCount).toBe(48);
    expect(many.data!._entities[PROBED_RESOURCES.length + 1].measurements.totalCount).toBe(0);
    expect(one.extensions?.dbCommands).toBe(1);
    expect(many.extensions?.dbCommands).toBe(1);
  });

  it('should batch roll-ups the same way', async () => {
    const many = await probe([...PROBED_RESOURCES, 'gNB-001'], { granularity: 'G_1H' });
    expect(many.data!._entities[PROBED_RESOURCES.length].measurements.totalCount).toBe(12);
    expect(many.extensions?.dbCommands).toBe(1);
  });
});
