import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, usingRealMongo, type TestDatabase } from '../helpers/server.js';

let server: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startTestDatabase();
  db = server.client.db(uniqueDbName('txn'));
  await db.createCollection('accounts');
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

describe('multi-document transactions', () => {
  it('should make all writes visible at commit and none before', async () => {
    const accounts = db.collection('accounts');
    await accounts.insertMany([{ _id: 'a', bal: 100 }, { _id: 'b', bal: 0 }] as never[]);
    const session = server.client.startSession();
    session.startTransaction();
    await accounts.updateOne({ _id: 'a' } as never, { $inc: { bal: -30 } }, { session });
    await accounts.updateOne({ _id: 'b' } as never, { $inc: { bal: 30 } }, { session });
    // inside: own writes visible; outside: still the committed state
    expect((await accounts.findOne({ _id: 'a' } as never, { session }))!.bal).toBe(70);
    expect((await accounts.findOne({ _id: 'a' } as never))!.bal).toBe(100);
    await session.commitTransaction();
    await session.endSession();
    expect(await accounts.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 'a', bal: 70 }, { _id: 'b', bal: 30 }]);
  });

  it('should discard everything on abort', async () => {
    const c = db.collection('abort');
    const session = server.client.startSession();
    session.startTransaction();
    await c.insertOne({ _id: 'x' } as never, { session });
    await session.abortTransaction();
    await session.endSession();
    expect(await c.countDocuments()).toBe(0);
  });

  it('should read a snapshot: changes committed by others after the first read stay invisible', async () => {
    const c = db.collection('snap');
    await c.insertOne({ _id: 's', v: 1 } as never);
    const session = server.client.startSession();
    session.startTransaction();
    expect((await c.findOne({ _id: 's' } as never, { session }))!.v).toBe(1);
    await c.updateOne({ _id: 's' } as never, { $set: { v: 2 } });
    await c.insertOne({ _id: 'late' } as never);
    expect((await c.findOne({ _id: 's' } as never, { session }))!.v).toBe(1);
    expect(await c.countDocuments({}, { session })).toBe(1);
    await session.abortTransaction();
    await session.endSession();
  });

  it('should fail a conflicting write with WriteConflict labelled TransientTransactionError', async () => {
    const c = db.collection('conflict');
    await c.insertOne({ _id: 'k', n: 0 } as never);
    const s1 = server.client.startSession();
    const s2 = server.client.startSession();
    s1.startTransaction();
    s2.startTransaction();
    await c.updateOne({ _id: 'k' } as never, { $inc: { n: 1 } }, { session: s1 });
    const err = await c.updateOne({ _id: 'k' } as never, { $inc: { n: 1 } }, { session: s2 }).catch((e) => e);
    expect(err.code).toBe(112);
    expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    await s1.commitTransaction();
    await s2.abortTransaction().catch(() => undefined);
    await s1.endSession();
    await s2.endSession();
    expect((await c.findOne({ _id: 'k' } as never))!.n).toBe(1);
  });

  it('should let withTransaction retry conflicts until every increment lands exactly once', async () => {
    const c = db.collection('counter');
    await c.insertOne({ _id: 'ctr', n: 0 } as never);
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        const session = server.client.startSession();
        try {
          await session.withTransaction(async () => {
            const cur = await c.findOne({ _id: 'ctr' } as never, { session });
            await new Promise((r) => setTimeout(r, 5));
            await c.updateOne({ _id: 'ctr' } as never, { $set: { n: (cur!.n as number) + 1 } }, { session });
          });
        } finally {
          await session.endSession();
        }
      }),
    );
    expect((await c.findOne({ _id: 'ctr' } as never))!.n).toBe(10);
  });

  it('should make a non-transactional write wait for the transaction holding the document', async () => {
    const c = db.collection('wait');
    await c.insertOne({ _id: 'w', n: 0 } as never);
    const session = server.client.startSession();
    session.startTransaction();
    await c.updateOne({ _id: 'w' } as never, { $inc: { n: 10 } }, { session });
    const outside = c.updateOne({ _id: 'w' } as never, { $inc: { n: 1 } });
    await new Promise((r) => setTimeout(r, 50));
    await session.commitTransaction();
    await outside;
    await session.endSession();
    expect((await c.findOne({ _id: 'w' } as never))!.n).toBe(11);
  });

  it('should enforce unique indexes against the transaction view', async () => {
    const c = db.collection('uniq');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ email: 'a@x' });
    const session = server.client.startSession();
    session.startTransaction();
    await c.deleteOne({ email: 'a@x' }, { session });
    await c.insertOne({ email: 'a@x', v: 2 }, { session }); // allowed: the old one is deleted in this txn
    await expect(c.insertOne({ email: 'a@x', v: 3 }, { session })).rejects.toMatchObject({ code: 11000 });
    await session.abortTransaction().catch(() => undefined);
    await session.endSession();
    expect(await c.find({}, { projection: { _id: 0 } }).toArray()).toEqual([{ email: 'a@x' }]);
  });
});

describe('transactions and documents an index cannot key', () => {
  it('should refuse the write itself (171, parallel arrays) and leave the transaction with nothing committed', async () => {
    const c = db.collection('parallel');
    await c.createIndex({ a: 1, b: 1 });
    const session = server.client.startSession();
    const failure = await session.withTransaction(async () => {
      await c.insertOne({ _id: 'fine', a: 1, b: 2 } as never, { session });
      await c.insertOne({ _id: 'parallel', a: [1, 2], b: [3, 4] } as never, { session });
    }).then(() => null, (err: { code?: number; message: string }) => err);
    await session.endSession();
    expect(failure).toMatchObject({ code: 171, message: expect.stringContaining('cannot index parallel arrays') });
    expect(await c.countDocuments()).toBe(0);
  });

  // mongod's createIndexes waits for the open transaction, so only the embedded server meets this.
  it.skipIf(usingRealMongo)('should fail the commit before applying anything when an index created meanwhile cannot key a buffered write', async () => {
    const c = db.collection('parallelLater');
    await c.insertOne({ _id: 'seed' } as never);
    const session = server.client.startSession();
    session.startTransaction();
    await c.insertOne({ _id: 'fine', a: 1, b: 2 } as never, { session });
    await c.insertOne({ _id: 'parallel', a: [1, 2], b: [3, 4] } as never, { session });
    await c.createIndex({ a: 1, b: 1 });
    const failure = await session.commitTransaction().then(() => null, (err: { code?: number }) => err);
    await session.endSession();
    expect(failure).toMatchObject({ code: 171 });
    expect(await c.find().toArray()).toEqual([{ _id: 'seed' }]);
  });
});

describe('retryable writes', () => {
  it('should apply a retried write (same lsid and txnNumber) once', async () => {
    const c = db.collection('retry');
    // A fresh client: pooled server sessions of the shared client may carry higher txnNumbers.
    const client = await new MongoClient(server.uri).connect();
    const session = client.startSession();
    const rdb = client.db(db.databaseName);
    const cmd = { insert: 'retry', documents: [{ _id: 'once', n: 1 }], txnNumber: 7 };
    const first = await rdb.command(cmd, { session });
    const second = await rdb.command(cmd, { session });
    expect(first.n).toBe(1);
    expect(second.n).toBe(1);
    const inc = { update: 'retry', updates: [{ q: { _id: 'once' }, u: { $inc: { n: 1 } } }], txnNumber: 8 };
    await rdb.command(inc, { session });
    await rdb.command(inc, { session });
    expect(await c.find().toArray()).toEqual([{ _id: 'once', n: 2 }]);
    await session.endSession();
    await client.close();
  });
});
