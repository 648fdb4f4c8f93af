import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { FIBRE_CHILDREN, fixtureAlarms, fixtureWorld, newestFirst, OLT_CHILDREN } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

interface Page { totalCount: number; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }

const childrenOf = (parent: string) => newestFirst(fixtureAlarms.filter((a) => a.parentAlarmId === parent)).map((a) => a.id);

const CHILDREN = `query ($id: ID!, $first: Int, $after: String) { alarm(id: $id) {
  childAlarms(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`;

describe('Alarm.alarmedObject', () => {
  it('should reference the resource as an inventory entity stub', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-PORT-001") { alarmedObject { __typename id } } }`);
    expect(res.data).toEqual({ alarm: { alarmedObject: { __typename: 'Resource', id: 'PORT-001' } } });
  });
});

describe('Alarm.parentAlarm', () => {
  it('should resolve the root cause of a correlated alarm', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-PORT-007") { isRootCause parentAlarm { id isRootCause parentAlarm { id } } } }`);
    expect(res.data).toEqual({ alarm: { isRootCause: false, parentAlarm: { id: 'ALM-FIBRE-ROOT', isRootCause: true, parentAlarm: null } } });
  });

  it('should resolve the parents of a whole page in one extra command', async () => {
    const res = await sut.query(`{ alarms(first: 40, filter: { isRootCause: false }) { edges { node { id parentAlarm { id } } } } }`);
    const edges = (res.data as { alarms: { edges: { node: { id: string; parentAlarm: { id: string } | null } }[] } }).alarms.edges;
    for (const { node } of edges) expect(node.parentAlarm?.id ?? null).toBe(fixtureAlarms.find((a) => a.id === node.id)!.parentAlarmId);
    // count + find + one batched find of the parents (none of them is on a page of non-root alarms).
    expect(res.extensions?.dbCommands).toBe(3);
  });
});

describe('Alarm.childAlarms', () => {
  it('should list the alarms correlated under a root cause, newest first, ties by id', async () => {
    const res = await sut.query<{ alarm: { childAlarms: Page } }>(CHILDREN, { id: 'ALM-FIBRE-ROOT', first: 100 });
    expect(res.data!.alarm.childAlarms.totalCount).toBe(FIBRE_CHILDREN);
    expect(res.data!.alarm.childAlarms.edges.map((e) => e.node.id)).toEqual(childrenOf('ALM-FIBRE-ROOT'));
  });

  it('should page through the children', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { data?: { alarm: { childAlarms: Page } } | null } = await sut.query<{ alarm: { childAlarms: Page } }>(CHILDREN, { id: 'ALM-FIBRE-ROOT', first: 8, after });
      const page = res.data!.alarm.childAlarms;
      expect(page.totalCount).toBe(FIBRE_CHILDREN);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(childrenOf('ALM-FIBRE-ROOT'));
  });

  it('should answer an alarm without children with an empty connection', async () => {
    const res = await sut.query<{ alarm: { childAlarms: Page } }>(CHILDREN, { id: 'ALM-GNB-001' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.alarm.childAlarms).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('should count the children alone for first: 0', async () => {
    const res = await sut.query<{ alarm: { childAlarms: Page } }>(CHILDREN, { id: 'ALM-OLT-ROOT', first: 0 });
    expect(res.data!.alarm.childAlarms).toMatchObject({ totalCount: OLT_CHILDREN, edges: [] });
  });

  it('should reject bad page arguments naming them', async () => {
    for (const [vars, arg] of [[{ first: -2 }, 'first'], [{ first: 1000 }, 'first'], [{ after: 'bogus' }, 'after']] as const) {
      const res = await sut.query(CHILDREN, { id: 'ALM-FIBRE-ROOT', ...vars });
      expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: arg });
    }
  });

  it('should load the children of every root cause in a list in one command', async () => {
    const query = `{ alarms(first: 100, filter: { isRootCause: true }) { edges { node { id childAlarms(first: 2) { totalCount edges { node { id } } } } } } }`;
    const res = await sut.query<{ alarms: { edges: { node: { id: string; childAlarms: { totalCount: number; edges: { node: { id: string } }[] } } }[] } }>(query);
    const byRoot = Object.fromEntries(res.data!.alarms.edges.map((e) => [e.node.id, e.node.childAlarms]));
    expect(byRoot['ALM-FIBRE-ROOT']).toEqual({ totalCount: FIBRE_CHILDREN, edges: childrenOf('ALM-FIBRE-ROOT').slice(0, 2).map((id) => ({ node: { id } })) });
    expect(byRoot['ALM-OLT-ROOT']).toEqual({ totalCount: OLT_CHILDREN, edges: childrenOf('ALM-OLT-ROOT').slice(0, 2).map((id) => ({ node: { id } })) });
    expect(res.extensions?.dbCommands).toBe(3);
    const everyAlarm = await sut.query(`{ alarms(first: 100) { edges { node { childAlarms(first: 2) { totalCount } } } } }`);
    expect(everyAlarm.extensions?.dbCommands).toBe(3);
  });
});

describe('Alarm.correlatedAlarms', () => {
  it('should be an empty list when no peer correlation was recorded', async () => {
    const res = await sut.query(`{ alarm(id: "ALM-FIBRE-ROOT") { correlatedAlarms { id } } }`);
    expect(res.data).toEqual({ alarm: { correlatedAlarms: [] } });
  });
});

describe('Alarm entity', () => {
  const entities = (ids: string[]) => queryEntities(sut, `... on Alarm { id perceivedSeverity alarmedObject { id } }`, representations('Alarm', ids));

  it('should resolve alarm references, null for unknown ids, in one command', async () => {
    const res = await entities(['ALM-GNB-001', 'ALM-NOPE', 'ALM-SLICE-001']);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ _entities: [
      { id: 'ALM-GNB-001', perceivedSeverity: 'CRITICAL', alarmedObject: { id: 'gNB-001' } },
      null,
      { id: 'ALM-SLICE-001', perceivedSeverity: 'MAJOR', alarmedObject: { id: 'slice-5g-001' } },
    ] });
    expect(res.extensions?.dbCommands).toBe(1);
  });

  it('should resolve many references in the same single command', async () => {
    const res = await entities(fixtureAlarms.map((a) => a.id));
    expect(res.data!._entities).toHaveLength(fixtureAlarms.length);
    expect(res.extensions?.dbCommands).toBe(1);
  });
});

describe('Seeding repeated reports of one fault', () => {
  it('should fold a repeat of an active fault into its first report and count it', async () => {
    const res = await sut.query(`{ first: alarm(id: "ALM-DUP-1") { state count alarmChangedTime } repeat: alarm(id: "ALM-DUP-2") { id } cleared: alarm(id: "ALM-DUP-0") { state count } }`);
    expect(res.data).toEqual({
      first: { state: 'RAISED', count: 2, alarmChangedTime: '2025-03-01T07:30:00.000Z' },
      repeat: null,
      cleared: { state: 'CLEARED', count: 1 },
    });
  });
});
