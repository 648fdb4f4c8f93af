import type { ClientSession, Collection, Db, Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, type TestDatabase } from '../helpers/server.js';

/**
 * Unique secondary indexes and reads inside a transaction: the transaction's buffered writes are
 * checked and queried through its own indexed overlay, which must agree exactly with what the
 * same operations do against committed data (and with mongod, when MONGODB_URI is set).
 */
let server: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startTestDatabase();
  db = server.client.db(uniqueDbName('txnuniq'));
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

let counter = 0;
async function uniqueCollection(key: Document = { email: 1 }): Promise<Collection> {
  const c = db.collection(`c${counter++}`);
  await c.createIndex(key, { unique: true });
  return c;
}

/** Runs `body` in a transaction on a fresh session; the transaction is aborted if still open. */
async function inTransaction<T>(body: (session: ClientSession) => Promise<T>): Promise<T> {
  const session = server.client.startSession();
  session.startTransaction();
  try {
    return await body(session);
  } finally {
    if (session.inTransaction()) await session.abortTransaction().catch(() => undefined);
    await session.endSession();
  }
}

const byId = { sort: { _id: 1 } } as const;

describe('unique indexes inside a transaction', () => {
  it('should reject a duplicate within one insertMany and abort the whole transaction', async () => {
    const c = await uniqueCollection();
    await inTransaction(async (session) => {
      const err = await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }, { _id: 3, email: 'a' }] as never[], { session }).catch((e) => e);
      expect(err.code).toBe(11000);
      expect(err.writeErrors).toHaveLength(1);
      expect(err.writeErrors[0].index).toBe(2);
      expect(err.writeErrors[0].errmsg).toMatch(/E11000 duplicate key error collection: .*\.c\d+ index: email_1 dup key: \{ email: "a" \}$/);
      // mongod aborts a transaction on a failed statement: nothing of it can be committed.
      await expect(session.commitTransaction()).rejects.toMatchObject({ code: 251 });
    });
    expect(await c.countDocuments()).toBe(0);
  });

  it('should find a duplicate deep in a large batch, at its exact position', async () => {
    const c = await uniqueCollection();
    const docs = Array.from({ length: 3000 }, (_, i) => ({ _id: i, email: `u${i}@x` }));
    docs.push({ _id: 3000, email: 'u10@x' });
    await inTransaction(async (session) => {
      const err = await c.insertMany(docs as never[], { session }).catch((e) => e);
      expect(err.code).toBe(11000);
      expect(err.writeErrors[0].index).toBe(3000);
      expect(err.writeErrors[0].errmsg).toContain('dup key: { email: "u10@x" }');
    });
    expect(await c.countDocuments()).toBe(0);
  });

  it('should reject an update that makes a unique key collide with a buffered insert, with keyPattern and keyValue', async () => {
    const c = await uniqueCollection();
    await c.insertOne({ _id: 1, email: 'a' } as never);
    await inTransaction(async (session) => {
      await c.insertOne({ _id: 2, email: 'b' } as never, { session });
      const err = await c.updateOne({ _id: 1 } as never, { $set: { email: 'b' } }, { session }).catch((e) => e);
      expect(err.code).toBe(11000);
      expect(err.keyPattern).toEqual({ email: 1 });
      expect(err.keyValue).toEqual({ email: 'b' });
      expect(err.message).toContain('index: email_1 dup key: { email: "b" }');
    });
    expect(await c.find({}, byId).toArray()).toEqual([{ _id: 1, email: 'a' }]);
  });

  it('should reject an upsert whose new document collides with a buffered update', async () => {
    const c = await uniqueCollection();
    await c.insertOne({ _id: 1, email: 'a' } as never);
    await inTransaction(async (session) => {
      await c.updateOne({ _id: 1 } as never, { $set: { email: 'moved' } }, { session });
      const err = await c.updateOne({ _id: 2 } as never, { $set: { email: 'moved' } }, { upsert: true, session }).catch((e) => e);
      expect(err.code).toBe(11000);
      expect(err.keyValue).toEqual({ email: 'moved' });
    });
  });

  it('should allow delete then re-insert of the same unique key, also of a key only the transaction wrote', async () => {
    const c = await uniqueCollection();
    await c.insertOne({ _id: 1, email: 'committed' } as never);
    await inTransaction(async (session) => {
      await c.deleteOne({ email: 'committed' }, { session });
      await c.insertOne({ _id: 2, email: 'committed' } as never, { session });
      await c.insertOne({ _id: 3, email: 'buffered' } as never, { session });
      await c.deleteOne({ _id: 3 } as never, { session });
      await c.insertOne({ _id: 4, email: 'buffered' } as never, { session });
      // The re-inserted keys are taken again within the transaction.
      await expect(c.insertOne({ _id: 5, email: 'buffered' } as never, { session })).rejects.toMatchObject({ code: 11000, keyValue: { email: 'buffered' } });
    });
    // The failed insert aborted that transaction; the same sequence without it commits.
    await inTransaction(async (session) => {
      await c.deleteOne({ email: 'committed' }, { session });
      await c.insertOne({ _id: 2, email: 'committed' } as never, { session });
      await c.insertOne({ _id: 3, email: 'buffered' } as never, { session });
      await c.deleteOne({ _id: 3 } as never, { session });
      await c.insertOne({ _id: 4, email: 'buffered' } as never, { session });
      await session.commitTransaction();
    });
    expect(await c.find({}, byId).toArray()).toEqual([{ _id: 2, email: 'committed' }, { _id: 4, email: 'buffered' }]);
  });

  it('should let two documents swap unique keys through a third value in one transaction', async () => {
    const c = await uniqueCollection();
    await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }] as never[]);
    await inTransaction(async (session) => {
      await c.updateOne({ _id: 1 } as never, { $set: { email: 'tmp' } }, { session });
      await c.updateOne({ _id: 2 } as never, { $set: { email: 'a' } }, { session });
      await c.updateOne({ _id: 1 } as never, { $set: { email: 'b' } }, { session });
      await session.commitTransaction();
    });
    expect(await c.find({}, byId).toArray()).toEqual([{ _id: 1, email: 'b' }, { _id: 2, email: 'a' }]);
  });

  it('should report the duplicated value of a multikey field, inside a transaction as outside', async () => {
    const outside = await uniqueCollection({ tags: 1 });
    await outside.insertOne({ _id: 1, tags: ['x', 'y'] } as never);
    const committedErr = await outside.insertOne({ _id: 2, tags: ['z', 'y'] } as never).catch((e) => e);
    expect(committedErr.keyValue).toEqual({ tags: 'y' });

    const c = await uniqueCollection({ tags: 1 });
    await inTransaction(async (session) => {
      await c.insertOne({ _id: 1, tags: ['x', 'y'] } as never, { session });
      const err = await c.insertOne({ _id: 2, tags: ['z', 'y'] } as never, { session }).catch((e) => e);
      expect(err.code).toBe(11000);
      expect(err.keyValue).toEqual(committedErr.keyValue);
      expect(err.message).toContain('dup key: { tags: "y" }');
    });
  });

  it('should judge empty arrays, null and missing keys the same inside a transaction as outside', async () => {
    const attempts = [{ _id: 1, a: [] }, { _id: 2, a: null }, { _id: 3 }, { _id: 4, a: [] }];
    const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e) => `E${e.code}`);
    const outside = await uniqueCollection({ a: 1 });
    const expected: string[] = [];
    for (const d of attempts) expected.push(await outcome(outside.insertOne(d as never)));
    const inside = await uniqueCollection({ a: 1 });
    const actual: string[] = [];
    // One transaction per attempt (a failed statement aborts it), each first buffering the
    // earlier attempts that succeeded outside, so it is checked against the same documents.
    for (let n = 0; n < attempts.length; n++) {
      await inTransaction(async (session) => {
        for (let i = 0; i < n; i++) if (expected[i] === 'ok') await inside.insertOne(attempts[i] as never, { session });
        actual.push(await outcome(inside.insertOne(attempts[n] as never, { session })));
      });
    }
    expect(actual).toEqual(expected);
    expect(await inside.countDocuments()).toBe(0);
  });

  it('should enforce a partial unique index on buffered writes only where the filter matches', async () => {
    const c = db.collection(`c${counter++}`);
    await c.createIndex({ handle: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await inTransaction(async (session) => {
      await c.insertOne({ _id: 1, handle: 'h', active: false } as never, { session });
      await c.insertOne({ _id: 2, handle: 'h', active: true } as never, { session });
      await c.insertOne({ _id: 3, handle: 'h', active: false } as never, { session });
      await expect(c.insertOne({ _id: 4, handle: 'h', active: true } as never, { session })).rejects.toMatchObject({ code: 11000, keyValue: { handle: 'h' } });
    });
  });
});

describe('reads inside a transaction', () => {
  it('should read its own buffered writes through secondary indexes, and nobody else should', async () => {
    const c = await uniqueCollection();
    await c.insertMany([{ _id: 1, email: 'a', n: 1 }, { _id: 2, email: 'b', n: 2 }, { _id: 3, email: 'c', n: 3 }] as never[]);
    await inTransaction(async (session) => {
      await c.updateOne({ _id: 1 } as never, { $set: { email: 'a2' } }, { session });
      await c.deleteOne({ _id: 2 } as never, { session });
      await c.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: 100 + i, email: `new${i}`, n: 100 + i })) as never[], { session });
      expect(await c.findOne({ email: 'a' }, { session })).toBeNull();
      expect(await c.findOne({ email: 'a2' }, { session })).toEqual({ _id: 1, email: 'a2', n: 1 });
      expect(await c.findOne({ email: 'b' }, { session })).toBeNull();
      expect(await c.findOne({ email: 'new150' }, { session })).toEqual({ _id: 250, email: 'new150', n: 250 });
      expect(await c.find({ email: { $in: ['a', 'a2', 'b', 'c', 'new0', 'new199'] } }, { session, ...byId }).toArray()).toEqual([
        { _id: 1, email: 'a2', n: 1 },
        { _id: 3, email: 'c', n: 3 },
        { _id: 100, email: 'new0', n: 100 },
        { _id: 299, email: 'new199', n: 299 },
      ]);
      expect(await c.countDocuments({}, { session })).toBe(202);
      expect(await c.countDocuments({ n: { $lt: 100 } }, { session })).toBe(2);
      // An update found through the unique index sees the buffered version.
      expect((await c.updateOne({ email: 'new7' }, { $inc: { n: 1000 } }, { session })).modifiedCount).toBe(1);
      expect(await c.findOne({ _id: 107 } as never, { session })).toEqual({ _id: 107, email: 'new7', n: 1107 });
      // Outside the transaction, only the committed state.
      expect(await c.findOne({ email: 'a' })).toEqual({ _id: 1, email: 'a', n: 1 });
      expect(await c.findOne({ email: 'new7' })).toBeNull();
      await session.abortTransaction();
    });
    expect(await c.find({}, byId).toArray()).toEqual([{ _id: 1, email: 'a', n: 1 }, { _id: 2, email: 'b', n: 2 }, { _id: 3, email: 'c', n: 3 }]);
    // Nothing of the aborted transaction lingers: its keys are free.
    await c.insertOne({ _id: 4, email: 'new7' } as never);
  });

  it('should keep its snapshot for indexed reads while others commit', async () => {
    const c = await uniqueCollection();
    await c.insertMany([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }] as never[]);
    await inTransaction(async (session) => {
      expect(await c.countDocuments({}, { session })).toBe(2); // the snapshot starts here
      await c.updateOne({ _id: 1 } as never, { $set: { email: 'a-new' } });
      await c.deleteOne({ _id: 2 } as never);
      await c.insertOne({ _id: 3, email: 'late' } as never);
      expect(await c.findOne({ email: 'a' }, { session })).toEqual({ _id: 1, email: 'a' });
      expect(await c.findOne({ email: 'a-new' }, { session })).toBeNull();
      expect(await c.findOne({ email: 'b' }, { session })).toEqual({ _id: 2, email: 'b' });
      expect(await c.findOne({ email: 'late' }, { session })).toBeNull();
      expect(await c.find({ email: { $gte: 'a' } }, { session, ...byId }).toArray()).toEqual([{ _id: 1, email: 'a' }, { _id: 2, email: 'b' }]);
    });
  });
});
