import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../kit/db.js';
import { seedSubgraph, startTestMongo } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { categoryId } from '../seed.js';
import { catalogWorld } from './fixture.js';

let mongo: { uri: string; stop(): Promise<void> };
beforeAll(async () => {
  mongo = await startTestMongo();
});
afterAll(async () => {
  await mongo?.stop();
});

describe('seed', () => {
  it('should store every offering and each specification once, and be harmless when run twice', async () => {
    await seedSubgraph(subgraph, mongo.uri, catalogWorld);
    await seedSubgraph(subgraph, mongo.uri, catalogWorld);
    const conn = await connectDatabase(mongo.uri, 'catalog');
    try {
      const models = subgraph.createModels(conn);
      const specIds = new Set(catalogWorld.offerings.map((o) => o.specification.id));
      expect(await models.ProductOffering.countDocuments()).toBe(catalogWorld.offerings.length);
      expect(await models.ProductSpecification.countDocuments()).toBe(specIds.size);
    } finally {
      await conn.close();
    }
  });

  it('should fail loudly when an offering does not fit the schema', async () => {
    const bad = { ...catalogWorld.offerings[0], id: 'BAD_OFFER', lifecycleStatus: 'SELLING' as 'LAUNCHED' };
    await expect(seedSubgraph(subgraph, mongo.uri, { ...catalogWorld, offerings: [bad] })).rejects.toThrow(/lifecycleStatus/);
  });

  it('should derive category ids as slugs of their names', () => {
    expect(categoryId('Mobile')).toBe('mobile');
    expect(categoryId(' Fixed Broadband & TV ')).toBe('fixed-broadband-tv');
  });
});
