import { describe, expect, it } from 'vitest';
import { useStarted } from '../../../kit/test-suite.js';
import { seedSubgraph, startTestMongo, withModels } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

const mongo = useStarted(startTestMongo);

describe('seed', () => {
  it('should store every customer and interaction, and be harmless when run twice', async () => {
    await seedSubgraph(subgraph, mongo.uri, customerWorld);
    await seedSubgraph(subgraph, mongo.uri, customerWorld);
    await withModels(subgraph, mongo.uri, async (models) => {
      expect(await models.Customer.countDocuments()).toBe(customerWorld.customers.length);
      expect(await models.Interaction.countDocuments()).toBe(customerWorld.interactions.length);
      const stored = await models.Customer.findById('CUST-789').lean();
      expect(stored).toMatchObject({ segment: 'ENTERPRISE', slaTier: 'GOLD', engagedParty: { partyType: 'ORGANIZATION' } });
    });
  });

  it('should fail loudly when a document does not fit the schema', async () => {
    const broken = { ...customerWorld, customers: [{ ...customerWorld.customers[0], id: 'CUST-BAD', segment: 'WHOLESALE' as 'CONSUMER' }], interactions: [] };
    await expect(seedSubgraph(subgraph, mongo.uri, broken)).rejects.toThrow(/segment/);
  });
});
