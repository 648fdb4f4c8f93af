import type mongoose from 'mongoose';
import { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo/index.js';
import { silentLogger } from '../embedded-mongo/src/types.js';
import type { SubgraphModule } from '../kit/subgraph.js';
import { generateWorld } from './generate.js';
import { dropSubgraphDatabases, seededCounts, seedModules } from './seed-all.js';

/** A stand-in subgraph module, so these tests exercise the seeding plumbing, not a real subgraph. */
function fakeCustomerModule(): SubgraphModule {
  return {
    name: 'customer',
    typeDefs: { kind: 'Document', definitions: [] } as unknown as SubgraphModule['typeDefs'],
    resolvers: {},
    createModels: (conn: mongoose.Connection) => ({ Customer: conn.model('Customer', new Schema({ _id: String, name: String })) }),
    createLoaders: () => ({}),
    async seed(models, world, log) {
      const { Customer } = models as { Customer: mongoose.Model<{ _id: string; name: string }> };
      await Customer.insertMany(world.customers.map((c) => ({ _id: c.id, name: c.name })));
      log?.(`seeded ${world.customers.length} customers`);
    },
  };
}

describe('seedModules', () => {
  // Always a private embedded server, never MONGODB_URI: these tests drop the subgraph databases.
  let mongo: EmbeddedMongo;
  beforeAll(async () => {
    mongo = await startEmbeddedMongo({ log: silentLogger });
  });
  afterAll(() => mongo.stop());

  it('should report empty databases before seeding', async () => {
    expect(Object.values(await seededCounts(mongo.uri)).every((n) => n === 0)).toBe(true);
  });

  it('should seed through the module, log progress with counts, and see the data afterwards', async () => {
    const lines: string[] = [];
    await seedModules(mongo.uri, generateWorld('small'), [fakeCustomerModule()], (m) => lines.push(m));
    expect(lines).toContainEqual(expect.stringMatching(/\[customer\] seeded 200 customers/));
    expect(lines).toContainEqual(expect.stringMatching(/\[customer\] done in [\d.]+ s: Customer 200/));
    expect((await seededCounts(mongo.uri)).customer).toBe(200);
  });

  it('should name the failing subgraph when a seed throws', async () => {
    const broken = { ...fakeCustomerModule(), seed: async () => Promise.reject(new Error('boom')) };
    await expect(seedModules(mongo.uri, generateWorld('small'), [broken], () => {})).rejects.toThrow(/customer failed: boom/);
  });

  it('should empty every subgraph database on reset', async () => {
    await dropSubgraphDatabases(mongo.uri);
    expect(Object.values(await seededCounts(mongo.uri)).every((n) => n === 0)).toBe(true);
  });
});
