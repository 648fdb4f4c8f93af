import { MongoClientBulkWriteError, type AnyClientBulkWriteModel, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, type TestDatabase } from '../helpers/server.js';

/** MongoDB 8.0's multi-collection `bulkWrite`, through the official driver's MongoClient.bulkWrite. */
let server: TestDatabase;
let db: Db;
let ns: (coll: string) => string;

beforeAll(async () => {
  server = await startTestDatabase();
  db = server.client.db(uniqueDbName('bulk'));
  ns = (coll) => `${db.databaseName}.${coll}`;
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

/** The driver types `_id` as an ObjectId; these tests use string ids. */
const ops = (...models: unknown[]) => models as AnyClientBulkWriteModel<Document>[];
const docs = (coll: string) => db.collection(coll).find({}, { sort: { _id: 1 } }).toArray();

describe('bulkWrite across collections (MongoDB 8.0)', () => {
  it('should apply inserts, updates, upserts and deletes on several collections and report each', async () => {
    await db.collection('orders').insertMany([{ _id: 'o1', state: 'NEW', v: 1 }, { _id: 'o2', state: 'NEW', v: 1 }] as never[]);
    const models = ops(
      { namespace: ns('events'), name: 'insertOne', document: { _id: 'o1:2', state: 'DONE' } },
      { namespace: ns('orders'), name: 'updateOne', filter: { _id: 'o1', v: 1 }, update: { $set: { state: 'DONE', v: 2 } } },
      { namespace: ns('orders'), name: 'updateOne', filter: { _id: 'o9' }, update: { $set: { state: 'NEW' } }, upsert: true },
      { namespace: ns('orders'), name: 'updateMany', filter: { state: 'NONE' }, update: { $set: { x: 1 } } },
      { namespace: ns('orders'), name: 'deleteOne', filter: { _id: 'o2' } },
    );
    const result = await server.client.bulkWrite(models, { verboseResults: true });

    expect(result).toMatchObject({ insertedCount: 1, matchedCount: 1, modifiedCount: 1, upsertedCount: 1, deletedCount: 1 });
    expect(result.insertResults!.get(0)).toEqual({ insertedId: 'o1:2' });
    expect(result.updateResults!.get(1)).toEqual({ matchedCount: 1, modifiedCount: 1, didUpsert: false });
    expect(result.updateResults!.get(2)).toEqual({ matchedCount: 1, modifiedCount: 0, didUpsert: true, upsertedId: 'o9' });
    expect(result.updateResults!.get(3)).toEqual({ matchedCount: 0, modifiedCount: 0, didUpsert: false });
    expect(result.deleteResults!.get(4)).toEqual({ deletedCount: 1 });
    expect(await docs('orders')).toEqual([{ _id: 'o1', state: 'DONE', v: 2 }, { _id: 'o9', state: 'NEW' }]);
    expect(await docs('events')).toEqual([{ _id: 'o1:2', state: 'DONE' }]);
  });

  it('should tell an update that matched nothing (a version guard that lost) from one that matched', async () => {
    await db.collection('guarded').insertOne({ _id: 'g', v: 5 } as never);
    const result = await server.client.bulkWrite(ops(
      { namespace: ns('guarded'), name: 'updateOne', filter: { _id: 'g', v: 4 }, update: { $set: { v: 5 } } },
    ), { verboseResults: true });
    expect(result.updateResults!.get(0)).toMatchObject({ matchedCount: 0 });
  });

  it('should make every write of a transaction visible together at commit, and each collection\'s change stream see it then', async () => {
    const [a, b] = [db.collection('txnA'), db.collection('txnB')];
    await a.insertOne({ _id: 'a', n: 0 } as never);
    const streams = [a.watch(), b.watch()];
    const seen: string[] = [];
    streams.forEach((s) => s.on('change', (c) => seen.push(`${(c as { ns: { coll: string } }).ns.coll}:${c.operationType}`)));
    // The streams are open once the server answered their aggregate.
    await Promise.all(streams.map((s) => new Promise((resolve) => s.once('resumeTokenChanged', resolve))));
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await server.client.bulkWrite(ops(
        { namespace: ns('txnA'), name: 'updateOne', filter: { _id: 'a' }, update: { $inc: { n: 1 } } },
        { namespace: ns('txnB'), name: 'insertOne', document: { _id: 'b' } },
      ), { session });
      expect(await b.countDocuments()).toBe(0);
      expect((await a.findOne({ _id: 'a' } as never))!.n).toBe(0);
      expect(await b.countDocuments({}, { session })).toBe(1);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect((await a.findOne({ _id: 'a' } as never))!.n).toBe(1);
    expect(await b.countDocuments()).toBe(1);
    await expect.poll(() => seen.sort()).toEqual(['txnA:update', 'txnB:insert']);
    await Promise.all(streams.map((s) => s.close()));
  });

  it('should stop an ordered bulk at the first failed op and report which one failed', async () => {
    await db.collection('dupes').insertOne({ _id: 'taken' } as never);
    const err = await server.client.bulkWrite(ops(
      { namespace: ns('dupes'), name: 'insertOne', document: { _id: 'first' } },
      { namespace: ns('dupes'), name: 'insertOne', document: { _id: 'taken' } },
      { namespace: ns('dupes'), name: 'insertOne', document: { _id: 'never' } },
    )).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoClientBulkWriteError);
    expect((err as MongoClientBulkWriteError).writeErrors.get(1)).toMatchObject({ code: 11000 });
    expect((await docs('dupes')).map((d) => d._id)).toEqual(['first', 'taken']);
  });

  it('should go on past a failed op when unordered', async () => {
    await db.collection('loose').insertOne({ _id: 'taken' } as never);
    const err = await server.client.bulkWrite(ops(
      { namespace: ns('loose'), name: 'insertOne', document: { _id: 'taken' } },
      { namespace: ns('loose'), name: 'insertOne', document: { _id: 'after' } },
    ), { ordered: false }).catch((e: unknown) => e);
    expect([...(err as MongoClientBulkWriteError).writeErrors.keys()]).toEqual([0]);
    expect((await docs('loose')).map((d) => d._id)).toEqual(['after', 'taken']);
  });

  it('should abort the transaction when an op fails inside it: none of its writes land', async () => {
    await db.collection('txnDup').insertOne({ _id: 'taken' } as never);
    const session = server.client.startSession();
    try {
      session.startTransaction();
      await db.collection('txnDup').insertOne({ _id: 'earlier' } as never, { session });
      await expect(server.client.bulkWrite(ops(
        { namespace: ns('txnDup'), name: 'insertOne', document: { _id: 'fresh' } },
        { namespace: ns('txnDup'), name: 'insertOne', document: { _id: 'taken' } },
      ), { session })).rejects.toBeInstanceOf(MongoClientBulkWriteError);
      await expect(session.commitTransaction()).rejects.toMatchObject({ code: 251 });
    } finally {
      await session.endSession();
    }
    expect((await docs('txnDup')).map((d) => d._id)).toEqual(['taken']);
  });

  it('should refuse malformed commands with a clear error and write nothing', async () => {
    const admin = server.client.db('admin');
    await expect(admin.command({ bulkWrite: 1, ops: [{ insert: 1, document: { _id: 'x' } }], nsInfo: [{ ns: ns('bad') }] }))
      .rejects.toMatchObject({ code: 2, message: expect.stringContaining('index into nsInfo') });
    await expect(admin.command({ bulkWrite: 1, ops: [{ insert: 0, document: { _id: 'x' } }], nsInfo: [{ ns: 'nodot' }] }))
      .rejects.toMatchObject({ code: 73 });
    await expect(db.command({ bulkWrite: 1, ops: [{ insert: 0, document: { _id: 'x' } }], nsInfo: [{ ns: ns('bad') }] }))
      .rejects.toMatchObject({ message: expect.stringContaining('admin') });
    expect(await db.collection('bad').countDocuments()).toBe(0);
  });
});
