import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../kit/db.js';
import { seedSubgraph, startTestMongo } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

let mongo: { uri: string; stop(): Promise<void> };
beforeAll(async () => {
  mongo = await startTestMongo();
});
afterAll(async () => {
  await mongo?.stop();
});

describe('seed', () => {
  it('should store every customer and interaction, and be harmless when run twice', async () => {
    await seedSubgraph(subgraph, mongo.uri, customerWorld);
    await seedSubgraph(subgraph, mongo.uri, customerWorld);
    const conn = await connectDatabase(mongo.uri, 'customer');
    try {
      const models = subgraph.createModels(conn);
      expect(await models.Customer.countDocuments()).toBe(customerWorld.customers.length);
      expect(await models.Interaction.countDocuments()).toBe(customerWorld.interactions.length);
      const stored = await models.Customer.findById('CUST-789').lean();
      expect(stored).toMatchObject({ segment: 'ENTERPRISE', slaTier: 'GOLD', engagedParty: { partyType: 'ORGANIZATION' } });
    } finally {
      await conn.close();
    }
  });

  it('should fail loudly when a document does not fit the schema', async () => {
    const broken = { ...customerWorld, customers: [{ ...customerWorld.customers[0], id: 'CUST-BAD', segment: 'WHOLESALE' as 'CONSUMER' }], interactions: [] };
    await expect(seedSubgraph(subgraph, mongo.uri, broken)).rejects.toThrow(/segment/);
  });
});
