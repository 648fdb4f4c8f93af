import type { Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, usingRealMongo, type TestDatabase } from '../helpers/server.js';

let server: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startTestDatabase({ ttlMonitorIntervalMs: 100 });
  db = server.client.db(uniqueDbName('idx'));
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

describe('indexes', () => {
  it('should answer equality and range lookups on indexed fields with an index scan', async () => {
    const c = db.collection('lookup');
    await c.insertMany(Array.from({ length: 5000 }, (_, i) => ({ i, k: `key-${i}` })));
    await c.createIndex({ k: 1 });
    await c.createIndex({ i: 1 });
    const eq = await c.find({ k: 'key-42' }).explain('executionStats');
    expect(JSON.stringify(eq.queryPlanner.winningPlan)).toContain('IXSCAN');
    expect(eq.executionStats.totalDocsExamined).toBe(1);
    const range = await c.find({ i: { $gte: 10, $lt: 20 } }).explain('executionStats');
    expect(range.executionStats.totalDocsExamined).toBe(10);
    const byId = await c.find({ _id: (await c.findOne({ i: 7 }))!._id }).explain('executionStats');
    expect(byId.executionStats.totalDocsExamined).toBe(1);
  });

  it('should list, drop and refuse to build a unique index over duplicates', async () => {
    const c = db.collection('dupbuild');
    await c.insertMany([{ a: 1 }, { a: 1 }]);
    await expect(c.createIndex({ a: 1 }, { unique: true })).rejects.toMatchObject({ code: 11000 });
    expect((await c.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_']);
    await c.createIndex({ a: 1 }, { name: 'a_plain' });
    await c.dropIndex('a_plain');
    await expect(c.dropIndex('nope')).rejects.toMatchObject({ code: 27 });
  });

  it('should keep unique sparse indexes from colliding on missing fields', async () => {
    const c = db.collection('sparse');
    await c.createIndex({ code: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ x: 1 }, { x: 2 }, { code: 'A' }]);
    await expect(c.insertOne({ code: 'A' })).rejects.toMatchObject({ code: 11000 });
  });
});

describe('TTL indexes', () => {
  it.skipIf(usingRealMongo)('should expire documents past expireAfterSeconds', async () => {
    const c = db.collection('sessions');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    await c.insertMany([{ name: 'old', at: new Date(Date.now() - 60_000) }, { name: 'fresh', at: new Date(Date.now() + 60_000) }, { name: 'no-date' }]);
    const deadline = Date.now() + 5000;
    while ((await c.countDocuments({ name: 'old' })) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect((await c.find({}, { projection: { _id: 0, name: 1 } }).sort({ name: 1 }).toArray()).map((d) => d.name)).toEqual(['fresh', 'no-date']);
  });
});
