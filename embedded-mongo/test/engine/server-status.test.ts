import type { Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, type TestDatabase } from '../helpers/server.js';

/**
 * `serverStatus` counters, as mongod keeps them and as monitoring (mongosh, Compass, the
 * benchmarks) reads them: operations received and transactions started, committed and aborted.
 */
let server: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startTestDatabase();
  db = server.client.db(uniqueDbName('status'));
  await db.createCollection('counted');
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

const status = () => server.client.db('admin').command({ serverStatus: 1 });
const delta = (after: Document, before: Document, section: string, field: string) => after[section][field] - before[section][field];

describe('serverStatus', () => {
  it('should count inserted documents, update and delete statements, finds and getMores', async () => {
    const c = db.collection('counted');
    const before = await status();
    await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[]);
    await c.updateOne({ _id: 1 } as never, { $set: { x: 1 } });
    await c.deleteOne({ _id: 3 } as never);
    expect(await c.find({}, { batchSize: 1 }).toArray()).toHaveLength(2);
    const after = await status();
    expect(delta(after, before, 'opcounters', 'insert')).toBe(3);
    expect(delta(after, before, 'opcounters', 'update')).toBe(1);
    expect(delta(after, before, 'opcounters', 'delete')).toBe(1);
    expect(delta(after, before, 'opcounters', 'query')).toBe(1);
    expect(delta(after, before, 'opcounters', 'getmore')).toBeGreaterThanOrEqual(1);
    expect(delta(after, before, 'opcounters', 'command')).toBeGreaterThanOrEqual(1); // the first serverStatus itself
  });

  it('should count transactions started, committed and aborted, the conflicting one among the aborted', async () => {
    const c = db.collection('txns');
    await c.insertOne({ _id: 'doc', n: 0 } as never);
    const before = await status();

    const committed = server.client.startSession();
    await committed.withTransaction(async () => void (await c.updateOne({ _id: 'doc' } as never, { $inc: { n: 1 } }, { session: committed })));
    await committed.endSession();

    const abandoned = server.client.startSession();
    abandoned.startTransaction();
    await c.insertOne({ _id: 'never' } as never, { session: abandoned });
    await abandoned.abortTransaction();
    await abandoned.endSession();

    // Two writers of one document: the second gets a WriteConflict and the server aborts it.
    const first = server.client.startSession();
    const second = server.client.startSession();
    first.startTransaction();
    second.startTransaction();
    await c.updateOne({ _id: 'doc' } as never, { $inc: { n: 1 } }, { session: first });
    await expect(c.updateOne({ _id: 'doc' } as never, { $inc: { n: 1 } }, { session: second })).rejects.toMatchObject({ code: 112 });
    await first.commitTransaction();
    await second.abortTransaction().catch(() => {});
    await Promise.all([first.endSession(), second.endSession()]);

    const after = await status();
    expect(delta(after, before, 'transactions', 'totalStarted')).toBe(4);
    expect(delta(after, before, 'transactions', 'totalCommitted')).toBe(2);
    expect(delta(after, before, 'transactions', 'totalAborted')).toBe(2);
    expect(after.transactions.currentOpen).toBe(0);
  });
});
