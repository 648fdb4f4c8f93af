import type { ChangeStreamDocument, Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, type TestDatabase } from '../helpers/server.js';

let server: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startTestDatabase();
  db = server.client.db(uniqueDbName('cs'));
  await db.createCollection('events');
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

/** Reads `n` events from a change stream. */
async function take<T extends ChangeStreamDocument>(stream: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for await (const ev of stream) {
    out.push(ev);
    if (out.length === n) break;
  }
  return out;
}

describe('change streams', () => {
  it('should deliver insert, update (with updateDescription and updateLookup), replace and delete', async () => {
    const c = db.collection('events');
    const stream = c.watch([], { fullDocument: 'updateLookup' });
    const events = take(stream, 4);
    await new Promise((r) => setTimeout(r, 50));
    await c.insertOne({ _id: 'e1', a: 1, b: { c: 1 } } as never);
    await c.updateOne({ _id: 'e1' } as never, { $set: { 'b.c': 2 }, $unset: { a: '' } });
    await c.replaceOne({ _id: 'e1' } as never, { z: 1 });
    await c.deleteOne({ _id: 'e1' } as never);
    const got = await events;
    await stream.close();
    expect(got.map((e) => e.operationType)).toEqual(['insert', 'update', 'replace', 'delete']);
    const upd = got[1] as Extract<ChangeStreamDocument, { operationType: 'update' }>;
    expect(upd.updateDescription.updatedFields).toEqual({ 'b.c': 2 });
    expect(upd.updateDescription.removedFields).toEqual(['a']);
    expect(upd.fullDocument).toBeDefined();
    expect(got[0]).toMatchObject({ ns: { db: db.databaseName, coll: 'events' }, documentKey: { _id: 'e1' } });
  });

  it('should filter with $match after $changeStream and watch a whole database', async () => {
    const stream = db.watch([{ $match: { operationType: 'insert', 'fullDocument.keep': true } }]);
    const events = take(stream, 2);
    await new Promise((r) => setTimeout(r, 50));
    await db.collection('other1').insertOne({ keep: false });
    await db.collection('other1').insertOne({ keep: true, n: 1 });
    await db.collection('other2').insertOne({ keep: true, n: 2 });
    const got = await events;
    await stream.close();
    expect(got.map((e) => (e as unknown as { fullDocument: { n: number } }).fullDocument.n)).toEqual([1, 2]);
  });

  it('should project events with $project after $match, keeping _id and the event\'s field order', async () => {
    const c = db.collection('projected');
    const picked = c.watch([{ $match: { operationType: 'insert' } }, { $project: { fullDocument: 1, operationType: 1 } }]);
    // The same projection through the general pipeline (`$addFields` is not a plain pick).
    const general = c.watch([{ $project: { fullDocument: 1, operationType: 1 } }, { $addFields: { seen: true } }]);
    const events = Promise.all([take(picked, 2), take(general, 2)]);
    await new Promise((r) => setTimeout(r, 50));
    await c.insertOne({ _id: 'p1', n: 1 } as never);
    await c.insertOne({ _id: 'p2', n: 2 } as never);
    const [fast, slow] = await events;
    await picked.close();
    await general.close();
    for (const e of fast) expect(Object.keys(e)).toEqual(['_id', 'operationType', 'fullDocument']);
    expect(fast.map((e) => (e as unknown as { fullDocument: { n: number } }).fullDocument.n)).toEqual([1, 2]);
    expect(slow.map((e) => {
      const { seen: _seen, ...rest } = e as unknown as Record<string, unknown>;
      return rest;
    })).toEqual(fast);
  });

  it('should watch the whole deployment across databases', async () => {
    const stream = server.client.watch([{ $match: { 'ns.coll': 'clusterwide' } }]);
    const events = take(stream, 2);
    await new Promise((r) => setTimeout(r, 50));
    const other = server.client.db(`${db.databaseName}_b`);
    await db.collection('clusterwide').insertOne({ from: 'a' });
    await other.collection('clusterwide').insertOne({ from: 'b' });
    const got = await events;
    await stream.close();
    await other.dropDatabase();
    expect(got.map((e) => (e as unknown as { ns: { db: string } }).ns.db)).toEqual([db.databaseName, `${db.databaseName}_b`]);
  });

  it('should resume after a token without gaps or duplicates', async () => {
    const c = db.collection('resume');
    const stream = c.watch();
    const first = take(stream, 2);
    await new Promise((r) => setTimeout(r, 50));
    await c.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], { ordered: true });
    const got = await first;
    await stream.close();
    const resumed = c.watch([], { resumeAfter: got[1]._id });
    const rest = await take(resumed, 2);
    await resumed.close();
    const ns = [...got, ...rest].map((e) => (e as unknown as { fullDocument: { n: number } }).fullDocument.n);
    expect(ns).toEqual([1, 2, 3, 4]);
  });

  it('should emit transaction writes with lsid and txnNumber, only after commit', async () => {
    const c = db.collection('txnstream');
    const stream = c.watch();
    const events = take(stream, 2);
    await new Promise((r) => setTimeout(r, 50));
    const session = server.client.startSession();
    await session.withTransaction(async () => {
      await c.insertOne({ a: 1 }, { session });
      await c.insertOne({ a: 2 }, { session });
    });
    await session.endSession();
    const got = await events;
    await stream.close();
    expect(got.every((e) => 'txnNumber' in e && 'lsid' in e)).toBe(true);
  });

  it('should invalidate a collection stream when the collection is dropped', async () => {
    const c = db.collection('dropme');
    await c.insertOne({ a: 1 });
    const stream = c.watch();
    const events = take(stream, 2);
    await new Promise((r) => setTimeout(r, 50));
    await c.drop();
    const got = await events;
    expect(got.map((e) => e.operationType)).toEqual(['drop', 'invalidate']);
    await stream.close();
  });
});
