import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { subgraph } from '../index.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';
import { ids, ok, type Conn, type IdNode } from './helpers.js';

/**
 * A smoke check of fault impact at the scale of the large seed: ≥ 10,000 customers behind one
 * backhaul fibre. Timings are printed for the report, never asserted (targets live in benchmarks).
 */
const world = generateWorld('large');
const fibre = world.landmarks.bigFibreLinkId;
let sut: SubgraphUnderTest;
beforeAll(async () => {
  const started = performance.now();
  sut = await startSubgraphUnderTest(subgraph, world);
  console.log(`inventory large seed: ${world.resources.length} resources, ${world.services.length} services seeded and served in ${(performance.now() - started).toFixed(0)} ms`);
}, 120_000);
afterAll(async () => {
  await sut?.stop();
});

const BIG_QUERY = `query($id: ID!) { resource(id: $id) {
  impactedCustomers(first: 10) { totalCount edges { node { id } services { id state } } }
  impactedServices(first: 10) { totalCount edges { node { id } } } } }`;

interface BigImpact {
  resource: { impactedCustomers: Conn<IdNode> & { edges: { node: IdNode; services: IdNode[] }[] }; impactedServices: Conn<IdNode> };
}

const timed = async (id = fibre) => {
  const started = performance.now();
  const result = await ok<BigImpact>(sut, BIG_QUERY, { id });
  return { ...result, ms: performance.now() - started };
};

describe('impact behind the busiest fibre link of the large world', () => {
  it('should count every customer and service behind it, as a brute-force walk does', async () => {
    const expected = bruteForceImpact(world, fibre);
    const cold = await timed();
    const { impactedCustomers, impactedServices } = cold.data.resource;
    expect(expected.customerIds.length).toBeGreaterThanOrEqual(10_000);
    expect(impactedCustomers.totalCount).toBe(expected.customerIds.length);
    expect(impactedServices.totalCount).toBe(expected.serviceIds.length);
    expect(ids(impactedCustomers)).toEqual(expected.customerIds.slice(0, 10));
    expect(ids(impactedServices)).toEqual(expected.serviceIds.slice(0, 10));
    for (const edge of impactedCustomers.edges) expect(edge.services.length).toBeGreaterThan(0);

    const warm: { ms: number; dbCommands: number }[] = [];
    for (let i = 0; i < 15; i++) warm.push(await timed());
    const p50 = [...warm].sort((a, b) => a.ms - b.ms)[7];
    // A different root below the fibre, so a walk (not the cache) in a process that has warmed up.
    const agg = world.resources.find((r) => r.category === 'AGGREGATION_ROUTER' && r.reliesOn.includes(fibre))!;
    const coldWarmProcess = await timed(agg.id);
    console.log(
      `inventory impact of ${fibre} (${expected.resourceIds.size} resources, ${impactedServices.totalCount} services, ${impactedCustomers.totalCount} customers): ` +
        `first request ${cold.ms.toFixed(0)} ms / ${cold.dbCommands} db commands; repeated p50 ${p50.ms.toFixed(0)} ms / ${p50.dbCommands} db commands; ` +
        `uncached walk below ${agg.id} in a warm process ${coldWarmProcess.ms.toFixed(0)} ms / ${coldWarmProcess.dbCommands} db commands`,
    );
    // One query per topology level and service level, plus resource(id) and the two pages' services.
    expect(cold.dbCommands).toBeLessThanOrEqual(15);
  });
});
