import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { fixtureWorld, newestFirst, storedAlarms } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

interface AlarmPage {
  alarms: { totalCount: number; edges: { cursor: string; node: { id: string; perceivedSeverity: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const ALARMS = `query ($first: Int, $after: String, $filter: AlarmFilter) {
  alarms(first: $first, after: $after, filter: $filter) {
    totalCount edges { cursor node { id perceivedSeverity } } pageInfo { hasNextPage endCursor } } }`;

async function alarmIds(filter: Record<string, unknown>, first = 100): Promise<string[]> {
  const res = await sut.query<AlarmPage>(ALARMS, { first, filter });
  expect(res.errors).toBeUndefined();
  expect(res.data!.alarms.totalCount).toBe(res.data!.alarms.edges.length);
  return res.data!.alarms.edges.map((e) => e.node.id);
}

const idsOf = (alarms: typeof storedAlarms) => newestFirst(alarms).map((a) => a.id);

describe('Query.alarm', () => {
  it('should return every field of an alarm by id', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-GNB-003") { id externalAlarmId sourceSystemId alarmRaisedTime alarmChangedTime alarmClearedTime
      alarmType perceivedSeverity probableCause specificProblem state ackState ackUserId ackSystemId alarmedObject { id }
      serviceAffecting isRootCause plannedOutageIndicator crossedThresholdInformation { threshold } comments { comment } count } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.alarm).toEqual({
      id: 'ALM-GNB-003', externalAlarmId: 'EMS-ALM-GNB-003', sourceSystemId: 'ems-nokia-1',
      alarmRaisedTime: '2025-03-01T05:00:00.000Z', alarmChangedTime: '2025-03-01T06:00:00.000Z', alarmClearedTime: null,
      alarmType: 'ENVIRONMENTAL_ALARM', perceivedSeverity: 'WARNING', probableCause: 'temperatureUnacceptable', specificProblem: 'fault on gNB-001',
      state: 'UPDATED', ackState: 'UNACKNOWLEDGED', ackUserId: null, ackSystemId: null, alarmedObject: { id: 'gNB-001' },
      serviceAffecting: false, isRootCause: false, plannedOutageIndicator: 'IN_SERVICE', crossedThresholdInformation: null, comments: [], count: 1,
    });
  });

  it('should report a cleared and acknowledged alarm with its clear time and who acknowledged it', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-GNB-002") { state ackState ackUserId alarmChangedTime alarmClearedTime } }`);
    expect(res.data!.alarm).toEqual({ state: 'CLEARED', ackState: 'ACKNOWLEDGED', ackUserId: 'noc-operator', alarmChangedTime: '2025-03-01T02:00:00.000Z', alarmClearedTime: '2025-03-01T02:00:00.000Z' });
  });

  it('should describe the threshold a quality-of-service alarm crossed', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-SLICE-001") { crossedThresholdInformation {
      threshold direction indicatorName indicatorUnit observedValue granularity thresholdCrossingDescription } } }`);
    expect(res.data).toEqual({ alarm: { crossedThresholdInformation: {
      threshold: '20', direction: 'UP', indicatorName: 'latency', indicatorUnit: 'ms', observedValue: '27.5', granularity: 'G_15MN', thresholdCrossingDescription: 'Latency above 20 ms',
    } } });
  });

  it('should give a null change time to an alarm that never changed', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-GNB-001") { alarmChangedTime } }`);
    expect(res.data!.alarm).toEqual({ alarmChangedTime: null });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-NOPE") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ alarm: null });
  });
});

describe('Query.alarms ordering and pagination', () => {
  it('should list every alarm most recently raised first, ties broken by id', async () => {
    expect(await alarmIds({})).toEqual(idsOf(storedAlarms));
  });

  it('should page through all alarms without gaps or overlaps', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: Awaited<ReturnType<typeof sut.query<AlarmPage>>> = await sut.query<AlarmPage>(ALARMS, { first: 7, after });
      const { edges, pageInfo, totalCount } = res.data!.alarms;
      expect(totalCount).toBe(storedAlarms.length);
      seen.push(...edges.map((e) => e.node.id));
      pages += 1;
      if (!pageInfo.hasNextPage) break;
      expect(pageInfo.endCursor).toBe(edges[edges.length - 1].cursor);
      after = pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(storedAlarms.length / 7));
    expect(seen).toEqual(idsOf(storedAlarms));
  });

  it('should default to 20 alarms per page', async () => {
    const res = await sut.query<AlarmPage>(`{ alarms { totalCount edges { node { id } } pageInfo { hasNextPage } } }`);
    expect(res.data!.alarms.edges).toHaveLength(20);
    expect(res.data!.alarms.pageInfo.hasNextPage).toBe(true);
  });

  it('should answer first: 0 with the total count alone', async () => {
    const res = await sut.query<AlarmPage>(ALARMS, { first: 0 });
    expect(res.data!.alarms).toEqual({ totalCount: storedAlarms.length, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('should answer a page past the end with no edges', async () => {
    const last = await sut.query<AlarmPage>(ALARMS, { first: 100 });
    const res = await sut.query<AlarmPage>(ALARMS, { first: 5, after: last.data!.alarms.pageInfo.endCursor });
    expect(res.data!.alarms).toMatchObject({ totalCount: storedAlarms.length, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('Query.alarms filters', () => {
  it('should filter by state', async () => {
    expect(await alarmIds({ state: 'RAISED' })).toEqual(idsOf(storedAlarms.filter((a) => a.state === 'RAISED')));
    expect(await alarmIds({ state: 'UPDATED' })).toEqual(['ALM-GNB-003']);
    expect(await alarmIds({ state: 'CLEARED' })).toEqual(['ALM-DUP-0', 'ALM-GNB-002', 'ALM-CPE-002']);
  });

  it('should filter by exact severity', async () => {
    expect(await alarmIds({ perceivedSeverity: 'CRITICAL' })).toEqual(['ALM-FIBRE-ROOT', 'ALM-OLT-ROOT', 'ALM-GNB-001']);
    expect(await alarmIds({ perceivedSeverity: 'INDETERMINATE' })).toEqual(['ALM-CPE-001']);
  });

  it('should filter by minimum severity in the order CRITICAL > MAJOR > MINOR > WARNING > INDETERMINATE > CLEARED', async () => {
    const order = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'];
    for (const [rank, min] of order.entries()) {
      const expected = storedAlarms.filter((a) => order.indexOf(a.perceivedSeverity) <= rank);
      expect(await alarmIds({ minSeverity: min }), `minSeverity ${min}`).toEqual(idsOf(expected));
    }
    expect(await alarmIds({ minSeverity: 'CLEARED' })).toHaveLength(storedAlarms.length);
  });

  it('should combine severity conditions with AND', async () => {
    expect(await alarmIds({ minSeverity: 'MAJOR', perceivedSeverity: 'CRITICAL' })).toEqual(['ALM-FIBRE-ROOT', 'ALM-OLT-ROOT', 'ALM-GNB-001']);
    expect(await alarmIds({ minSeverity: 'CRITICAL', perceivedSeverity: 'MINOR' })).toEqual([]);
  });

  it('should filter by resource, alarm type, acknowledgement and root cause', async () => {
    expect(await alarmIds({ resourceId: 'gNB-001' })).toEqual(['ALM-GNB-001', 'ALM-GNB-003', 'ALM-GNB-002']);
    expect(await alarmIds({ alarmType: 'EQUIPMENT_ALARM' })).toEqual(['ALM-OLT-ROOT', 'ALM-GNB-002']);
    expect(await alarmIds({ ackState: 'ACKNOWLEDGED' })).toEqual(['ALM-SLICE-001', 'ALM-GNB-002']);
    expect(await alarmIds({ isRootCause: true })).toEqual(['ALM-FIBRE-ROOT', 'ALM-OLT-ROOT']);
    expect(await alarmIds({ isRootCause: false })).toHaveLength(storedAlarms.length - 2);
  });

  it('should combine every condition with AND and ignore explicit nulls', async () => {
    expect(await alarmIds({ state: 'RAISED', minSeverity: 'MAJOR', resourceId: 'gNB-001', alarmType: 'COMMUNICATIONS_ALARM', ackState: 'UNACKNOWLEDGED', isRootCause: false })).toEqual(['ALM-GNB-001']);
    expect(await alarmIds({ state: null, resourceId: null, isRootCause: null })).toHaveLength(storedAlarms.length);
  });

  it('should page a filtered list with the filtered total', async () => {
    const res = await sut.query<AlarmPage>(ALARMS, { first: 10, filter: { state: 'RAISED' } });
    const raised = idsOf(storedAlarms.filter((a) => a.state === 'RAISED'));
    expect(res.data!.alarms.totalCount).toBe(raised.length);
    expect(res.data!.alarms.edges.map((e) => e.node.id)).toEqual(raised.slice(0, 10));
  });

  it('should answer an unknown resource with an empty connection', async () => {
    const res = await sut.query<AlarmPage>(ALARMS, { filter: { resourceId: 'NOPE' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.alarms).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('Query.alarms bad input', () => {
  const code = (res: { errors?: { extensions?: Record<string, unknown> }[] }) => res.errors?.[0].extensions;

  it('should reject a negative first naming the argument', async () => {
    const res = await sut.query(ALARMS, { first: -1 });
    expect(code(res)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('should reject first above the page size cap', async () => {
    const res = await sut.query(ALARMS, { first: 101 });
    expect(code(res)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });

  it('should reject a cursor this API did not issue', async () => {
    const res = await sut.query(ALARMS, { after: 'not-a-cursor' });
    expect(code(res)).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'after' });
  });

  it('should reject an unknown enum value as a validation error', async () => {
    const literal = await sut.query(`{ alarms(filter: { minSeverity: SEVERE }) { totalCount } }`);
    expect(code(literal)).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
    // A bad enum in variables fails variable coercion, which GraphQL reports as BAD_USER_INPUT.
    const variable = await sut.query(ALARMS, { filter: { state: 'OPEN' } });
    expect(variable.status).toBe(400);
    expect(code(variable)).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(variable.errors?.[0].message).toContain('filter.state');
  });
});

describe('Query.alarms cost', () => {
  it('should cost a count and a find however large the page', async () => {
    const small = await sut.query(ALARMS, { first: 1 });
    const big = await sut.query(ALARMS, { first: 100 });
    expect(small.extensions?.dbCommands).toBe(2);
    expect(big.extensions?.dbCommands).toBe(2);
  });
});
