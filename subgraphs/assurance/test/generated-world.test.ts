import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { subgraph } from '../index.js';

const world = generateWorld('small');
const sut = useSubgraphUnderTest(subgraph, world);

describe('The generated small world', () => {
  it('should store every alarm of the world (the small world repeats no active fault)', async () => {
    const res = await sut.query<{ alarms: { totalCount: number } }>(`{ alarms(first: 0) { totalCount } }`);
    expect(res.data!.alarms.totalCount).toBe(world.alarms.length);
  });

  it('should show the raised alarms of the resources behind the seed example service (Customer 360)', async () => {
    const service = world.services.find((s) => s.id === world.landmarks.exampleServiceId)!;
    const res = await queryEntities<{ id: string; alarms: { id: string; perceivedSeverity: string; probableCause: string }[] }>(
      sut, `... on Resource { id alarms(state: RAISED) { id perceivedSeverity probableCause } }`, representations('Resource', service.supportingResourceIds));
    const expected = service.supportingResourceIds.map((id) => world.alarms.filter((a) => a.resourceId === id && a.state === 'RAISED').map((a) => a.id).sort());
    expect(res.data!._entities.map((e) => e.alarms.map((a) => a.id).sort())).toEqual(expected);
    expect(res.data!._entities.flatMap((e) => e.alarms).length).toBeGreaterThan(0);
    expect(res.extensions?.dbCommands).toBe(1);
  });

  it('should link the threshold alarm to the measurements that crossed it', async () => {
    const alarm = world.alarms.find((a) => a.crossedThreshold)!;
    const res = await sut.query<{ alarm: { crossedThresholdInformation: { indicatorName: string; observedValue: string }; alarmedObject: { id: string } } }>(
      `query ($id: ID!) { alarm(id: $id) { alarmedObject { id } crossedThresholdInformation { indicatorName observedValue } } }`, { id: alarm.id });
    const { indicatorName, observedValue } = res.data!.alarm.crossedThresholdInformation;
    const series = await sut.query<{ _entities: { measurements: { totalCount: number; edges: { node: { value: number } }[] } }[] }>(
      `query ($reps: [_Any!]!, $indicator: String) { _entities(representations: $reps) { ... on Resource { measurements(indicator: $indicator, first: 100) { totalCount edges { node { value } } } } } }`,
      { reps: [{ __typename: 'Resource', id: res.data!.alarm.alarmedObject.id }], indicator: indicatorName });
    const values = series.data!._entities[0].measurements.edges.map((e) => e.node.value);
    expect(values.length).toBeGreaterThan(0);
    expect(values).toContain(Number(observedValue));
  });

  it('should correlate the fibre cut\'s children under their root cause', async () => {
    const child = world.alarms.find((a) => a.parentAlarmId)!;
    const res = await sut.query<{ alarm: { childAlarms: { totalCount: number; edges: { node: { id: string } }[] } } }>(
      `query ($id: ID!) { alarm(id: $id) { isRootCause childAlarms { totalCount edges { node { id } } } } }`, { id: child.parentAlarmId });
    expect(res.data!.alarm.childAlarms.totalCount).toBe(world.alarms.filter((a) => a.parentAlarmId === child.parentAlarmId).length);
    expect(res.data!.alarm.childAlarms.edges.map((e) => e.node.id)).toContain(child.id);
  });
});
