import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { FIBRE_CHILDREN, fixtureWorld, newestFirst, storedAlarms } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

interface Entities { _entities: ({ id: string; alarms: { id: string; state: string }[] } | null)[] }

const ALARMS_OF = `query ($reps: [_Any!]!, $state: AlarmState) {
  _entities(representations: $reps) { ... on Resource { id alarms(state: $state) { id state perceivedSeverity probableCause } } } }`;
const reps = (ids: string[]) => representations('Resource', ids);
const expectedAlarms = (resourceId: string, state?: string) =>
  newestFirst(storedAlarms.filter((a) => a.resourceId === resourceId && (!state || a.state === state))).map((a) => a.id);

describe('Resource entity', () => {
  it('should resolve any resource reference to its id, without a lookup', async () => {
    const res = await sut.query(`query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Resource { __typename id } } }`, { reps: reps(['gNB-001', 'NEVER-SEEN']) });
    expect(res.data).toEqual({ _entities: [{ __typename: 'Resource', id: 'gNB-001' }, { __typename: 'Resource', id: 'NEVER-SEEN' }] });
    expect(res.extensions?.dbCommands).toBe(0);
  });
});

describe('Resource.alarms', () => {
  it('should list a resource\'s alarms in every state, most recently raised first', async () => {
    const res = await sut.query<Entities>(ALARMS_OF, { reps: reps(['gNB-001']) });
    expect(res.data!._entities[0]!.alarms.map((a) => a.id)).toEqual(expectedAlarms('gNB-001'));
    expect(expectedAlarms('gNB-001')).toEqual(['ALM-GNB-001', 'ALM-GNB-003', 'ALM-GNB-002']);
  });

  it('should keep only the alarms in the requested state', async () => {
    for (const state of ['RAISED', 'UPDATED', 'CLEARED']) {
      const res = await sut.query<Entities>(ALARMS_OF, { reps: reps(['gNB-001', 'CPE-001', 'AR-001']), state });
      expect(res.data!._entities.map((e) => e!.alarms.map((a) => a.id)), state).toEqual(['gNB-001', 'CPE-001', 'AR-001'].map((r) => expectedAlarms(r, state)));
    }
  });

  it('should give the Customer 360 fields of raised alarms', async () => {
    const res = await sut.query<Entities>(ALARMS_OF, { reps: reps(['gNB-001']), state: 'RAISED' });
    expect(res.data!._entities[0]!.alarms).toEqual([{ id: 'ALM-GNB-001', state: 'RAISED', perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal' }]);
  });

  it('should answer a resource without alarms with an empty list', async () => {
    const res = await sut.query<Entities>(ALARMS_OF, { reps: reps(['NEVER-SEEN']), state: 'RAISED' });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ id: 'NEVER-SEEN', alarms: [] }]);
  });

  it('should reject an unknown state as a validation error', async () => {
    const res = await sut.query(`{ _entities(representations: [{ __typename: "Resource", id: "gNB-001" }]) { ... on Resource { alarms(state: ACTIVE) { id } } } }`);
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});

describe('Resource.alarms batching', () => {
  const ports = Array.from({ length: FIBRE_CHILDREN }, (_, i) => `PORT-${String(i + 1).padStart(3, '0')}`);

  it('should load the raised alarms of many resources in one command', async () => {
    const one = await sut.query<Entities>(ALARMS_OF, { reps: reps(ports.slice(0, 1)), state: 'RAISED' });
    const many = await sut.query<Entities>(ALARMS_OF, { reps: reps([...ports, 'gNB-001', 'NEVER-SEEN']), state: 'RAISED' });
    expect(many.data!._entities.slice(0, ports.length).map((e) => e!.alarms.map((a) => a.id))).toEqual(ports.map((p) => [`ALM-${p}`]));
    expect(one.extensions?.dbCommands).toBe(1);
    expect(many.extensions?.dbCommands).toBe(1);
  });

  it('should load different states for different selections still in one command', async () => {
    const query = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Resource { id
      raised: alarms(state: RAISED) { id } cleared: alarms(state: CLEARED) { id } all: alarms { id } } } }`;
    const res = await sut.query<{ _entities: { id: string; raised: { id: string }[]; cleared: { id: string }[]; all: { id: string }[] }[] }>(query, { reps: reps(['gNB-001', 'CPE-001', ...ports]) });
    const gnb = res.data!._entities[0];
    expect(gnb.raised.map((a) => a.id)).toEqual(expectedAlarms('gNB-001', 'RAISED'));
    expect(gnb.cleared.map((a) => a.id)).toEqual(expectedAlarms('gNB-001', 'CLEARED'));
    expect(gnb.all.map((a) => a.id)).toEqual(expectedAlarms('gNB-001'));
    expect(res.data!._entities[1].cleared.map((a) => a.id)).toEqual(['ALM-CPE-002']);
    expect(res.extensions?.dbCommands).toBe(1);
  });
});
