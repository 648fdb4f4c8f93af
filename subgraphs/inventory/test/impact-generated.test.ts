import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { generateWorld } from '../../../seed/generate.js';
import { databaseName } from '../../../kit/db.js';
import { subgraph } from '../index.js';
import { createModels } from '../models.js';
import { computeImpact, type Impact } from '../topology/impact.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';
import { expectImpactToMatchBruteForce } from './oracle.js';

const world = generateWorld('small');
const sut = useSubgraphUnderTest(subgraph, world);

describe('impact over the generated small world', () => {
  it('should match a brute-force walk for every resource, walking each page of 100 resources in a bounded number of commands', async () => {
    const commandsPerPage = await expectImpactToMatchBruteForce(sut, world);
    console.log(`inventory impact oracle: ${world.resources.length} resources, dbCommands per page of 100 resources with both impact connections: ${commandsPerPage.join(', ')}`);
    // list + count, one query per topology level and per service level for all 100 roots together,
    // then the page's service documents: never one walk per resource
    for (const commands of commandsPerPage) expect(commands).toBeLessThanOrEqual(20);
  });

  it('should compute the same impact for a lone root as for the same root among many (computeImpact)', async () => {
    const models = createModels(sut.subgraph.conn.useDb(databaseName('inventory'), { useCache: false }));
    const all = world.resources.map((r) => r.id);
    const together = await computeImpact(models, all);
    const asExpected = (id: string, impact: Impact) => {
      const expected = bruteForceImpact(world, id);
      expect([...impact.resourceIds].sort(), id).toEqual([...expected.resourceIds].sort());
      expect(impact.serviceIds, id).toEqual(expected.serviceIds);
      expect(impact.customers.map((c) => c.customerId), id).toEqual(expected.customerIds);
    };
    for (const id of all) {
      const alone = (await computeImpact(models, [id])).get(id)!;
      asExpected(id, alone);
      expect(together.get(id), id).toEqual(alone);
    }
  });

  it('should show CUST-789 its 5G service on gNB-001 and the slice', async () => {
    const res = await sut.query<{ service: { customer: { id: string }; supportingResources: { id: string }[] } }>(
      `{ service(id: "${world.landmarks.exampleServiceId}") { customer { id } supportingResources { id } } }`,
    );
    expect(res.data?.service.customer.id).toBe(world.landmarks.exampleCustomerId);
    expect(res.data?.service.supportingResources.map((r) => r.id)).toContain('gNB-001');
  });
});
