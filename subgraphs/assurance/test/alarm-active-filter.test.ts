import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { fixtureWorld, newestFirst, storedAlarms } from './fixture.js';

/** "Active" = RAISED or UPDATED: `AlarmFilter.active` and `Resource.alarms(active:)`, next to `state` (which keeps meaning one state). */
const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

const ids = (alarms: typeof storedAlarms) => newestFirst(alarms).map((a) => a.id);
const isActive = (a: (typeof storedAlarms)[number]) => a.state !== 'CLEARED';

describe('AlarmFilter.active', () => {
  async function alarmIds(filter: Record<string, unknown>): Promise<string[]> {
    const res = await sut.query<{ alarms: { totalCount: number; edges: { node: { id: string } }[] } }>(
      `query ($filter: AlarmFilter) { alarms(first: 100, filter: $filter) { totalCount edges { node { id } } } }`, { filter });
    expect(res.errors).toBeUndefined();
    expect(res.data!.alarms.totalCount).toBe(res.data!.alarms.edges.length);
    return res.data!.alarms.edges.map((e) => e.node.id);
  }

  it('should keep RAISED and UPDATED alarms when true, CLEARED ones when false', async () => {
    expect(await alarmIds({ active: true })).toEqual(ids(storedAlarms.filter(isActive)));
    expect(await alarmIds({ active: false })).toEqual(ids(storedAlarms.filter((a) => !isActive(a))));
    expect(storedAlarms.some((a) => a.state === 'UPDATED')).toBe(true);
  });

  it('should combine with state by AND (a contradiction matches nothing) and with the other conditions', async () => {
    expect(await alarmIds({ active: true, state: 'UPDATED' })).toEqual(ids(storedAlarms.filter((a) => a.state === 'UPDATED')));
    expect(await alarmIds({ active: false, state: 'RAISED' })).toEqual([]);
    expect(await alarmIds({ active: true, resourceId: 'gNB-001' })).toEqual(['ALM-GNB-001', 'ALM-GNB-003']);
    expect(await alarmIds({ active: null, state: 'RAISED' })).toEqual(ids(storedAlarms.filter((a) => a.state === 'RAISED')));
  });
});

describe('Resource.alarms(active:)', () => {
  const QUERY = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Resource { id
    active: alarms(active: true) { id } cleared: alarms(active: false) { id } raised: alarms(state: RAISED) { id } activeUpdated: alarms(state: UPDATED, active: true) { id } } } }`;

  it('should list a resource\'s active alarms (RAISED or UPDATED) while state: RAISED keeps meaning RAISED, in one command', async () => {
    const res = await sut.query<{ _entities: Record<string, { id: string }[]>[] }>(QUERY, { reps: representations('Resource', ['gNB-001', 'CPE-001']) });
    expect(res.errors).toBeUndefined();
    const [gnb, cpe] = res.data!._entities;
    expect(gnb.active.map((a) => a.id)).toEqual(['ALM-GNB-001', 'ALM-GNB-003']);
    expect(gnb.raised.map((a) => a.id)).toEqual(['ALM-GNB-001']);
    expect(gnb.activeUpdated.map((a) => a.id)).toEqual(['ALM-GNB-003']);
    expect(gnb.cleared.map((a) => a.id)).toEqual(['ALM-GNB-002']);
    expect(cpe.cleared.map((a) => a.id)).toEqual(['ALM-CPE-002']);
    expect(res.extensions?.dbCommands).toBe(1);
  });
});
