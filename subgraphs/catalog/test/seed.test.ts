import { describe, expect, it } from 'vitest';
import { useStarted } from '../../../kit/test-suite.js';
import { seedSubgraph, startTestMongo, withModels } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { categoryId } from '../seed.js';
import { catalogWorld } from './fixture.js';

const mongo = useStarted(startTestMongo);

describe('seed', () => {
  it('should store every offering and each specification once, and be harmless when run twice', async () => {
    await seedSubgraph(subgraph, mongo.uri, catalogWorld);
    await seedSubgraph(subgraph, mongo.uri, catalogWorld);
    await withModels(subgraph, mongo.uri, async (models) => {
      const specIds = new Set(catalogWorld.offerings.map((o) => o.specification.id));
      expect(await models.ProductOffering.countDocuments()).toBe(catalogWorld.offerings.length);
      expect(await models.ProductSpecification.countDocuments()).toBe(specIds.size);
    });
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
