import { Decimal128, Long, ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, type TestDatabase } from '../helpers/server.js';

let server: TestDatabase;
let db: Db;

beforeAll(async () => {
  server = await startTestDatabase();
  db = server.client.db(uniqueDbName('crud'));
});
afterAll(async () => {
  await db.dropDatabase();
  await server.stop();
});

describe('CRUD through the official driver', () => {
  it('should insert, find by _id and keep BSON types', async () => {
    const c = db.collection('types');
    const _id = new ObjectId();
    const doc = { _id, at: new Date('2026-01-02T03:04:05Z'), amount: Decimal128.fromString('12.50'), big: Long.fromString('9007199254740993'), tags: ['a', 'b'], nested: { x: 1 } };
    await c.insertOne(doc);
    const found = await c.findOne({ _id });
    expect(found).toEqual(doc);
    expect(found!.amount).toBeInstanceOf(Decimal128);
  });

  it('should answer unordered inserts with writeErrors carrying the failing index', async () => {
    const c = db.collection('dups');
    await c.insertOne({ _id: 2 } as never);
    const err = await c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[], { ordered: false }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.writeErrors.map((w: { index: number }) => w.index)).toEqual([1]);
    expect(await c.countDocuments()).toBe(3);
  });

  it('should stop ordered inserts at the first error', async () => {
    const c = db.collection('ordered');
    await c.insertOne({ _id: 2 } as never);
    await expect(c.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 3 }] as never[])).rejects.toMatchObject({ code: 11000 });
    expect(await c.find().sort({ _id: 1 }).toArray()).toEqual([{ _id: 1 }, { _id: 2 }]);
  });

  it('should filter, project, sort, skip and limit', async () => {
    const c = db.collection('people');
    await c.insertMany([
      { name: 'ann', age: 31, city: 'Oslo' },
      { name: 'bob', age: 25, city: 'Rome' },
      { name: 'cid', age: 42, city: 'Oslo' },
      { name: 'dee', age: 19, city: 'Lima' },
    ]);
    const rows = await c.find({ age: { $gte: 20 } }, { projection: { _id: 0, name: 1 } }).sort({ age: -1 }).skip(1).limit(2).toArray();
    expect(rows).toEqual([{ name: 'ann' }, { name: 'bob' }]);
    expect(await c.countDocuments({ city: 'Oslo' })).toBe(2);
    expect((await c.distinct('city')).sort()).toEqual(['Lima', 'Oslo', 'Rome']);
  });

  it('should iterate a large result across getMore batches', async () => {
    const c = db.collection('many');
    await c.insertMany(Array.from({ length: 1234 }, (_, i) => ({ i })));
    const seen: number[] = [];
    for await (const d of c.find({}, { batchSize: 100 }).sort({ i: 1 })) seen.push(d.i as number);
    expect(seen).toEqual(Array.from({ length: 1234 }, (_, i) => i));
  });

  it('should sort mixed BSON types in MongoDB order', async () => {
    const c = db.collection('mixed');
    const oid = new ObjectId('000000000000000000000001');
    const values = [true, 'str', 3, null, oid, new Date(0), { a: 1 }, [0, 5], 2.5, Decimal128.fromString('2.75')];
    await c.insertMany(values.map((v, i) => ({ i, v })));
    await c.insertOne({ i: 99 });
    const asc = (await c.find().sort({ v: 1, i: 1 }).toArray()).map((d) => d.i);
    // null/missing < numbers (by value, arrays by smallest element) < string < object < ObjectId < bool < date
    expect(asc).toEqual([3, 99, 7, 8, 9, 2, 1, 6, 4, 0, 5]);
  });

  it('should update with operators, upsert, arrayFilters and report counts', async () => {
    const c = db.collection('updates');
    await c.insertOne({ _id: 'u1', n: 1, items: [{ k: 'a', q: 1 }, { k: 'b', q: 2 }] } as never);
    const r1 = await c.updateOne({ _id: 'u1' } as never, { $inc: { n: 2 }, $set: { 'items.$[it].q': 9 } }, { arrayFilters: [{ 'it.k': 'b' }] });
    expect(r1).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
    expect(await c.findOne({ _id: 'u1' } as never)).toEqual({ _id: 'u1', n: 3, items: [{ k: 'a', q: 1 }, { k: 'b', q: 9 }] });
    const same = await c.updateOne({ _id: 'u1' } as never, { $set: { n: 3 } });
    expect(same).toMatchObject({ matchedCount: 1, modifiedCount: 0 });
    const up = await c.updateOne({ key: 'k1' }, { $set: { v: 1 }, $setOnInsert: { created: true } }, { upsert: true });
    expect(up.upsertedCount).toBe(1);
    expect(await c.findOne({ key: 'k1' }, { projection: { _id: 0 } })).toEqual({ key: 'k1', v: 1, created: true });
    const many = await c.updateMany({}, { $set: { touched: true } });
    expect(many.modifiedCount).toBe(2);
  });

  it('should replace documents keeping _id and refuse to change _id', async () => {
    const c = db.collection('replace');
    await c.insertOne({ _id: 'r1', a: 1 } as never);
    await c.replaceOne({ _id: 'r1' } as never, { b: 2 });
    expect(await c.findOne({ _id: 'r1' } as never)).toEqual({ _id: 'r1', b: 2 });
    await expect(c.updateOne({ _id: 'r1' } as never, { $set: { _id: 'r2' } })).rejects.toMatchObject({ code: 66 });
  });

  it('should findOneAndUpdate / findOneAndDelete with sort, new and upsert', async () => {
    const c = db.collection('fam');
    await c.insertMany([{ q: 1, p: 2 }, { q: 1, p: 1 }]);
    const after = await c.findOneAndUpdate({ q: 1 }, { $set: { taken: true } }, { sort: { p: 1 }, returnDocument: 'after', projection: { _id: 0 } });
    expect(after).toEqual({ q: 1, p: 1, taken: true });
    const before = await c.findOneAndUpdate({ q: 2 }, { $set: { p: 5 } }, { upsert: true, returnDocument: 'before' });
    expect(before).toBeNull();
    const removed = await c.findOneAndDelete({ q: 1 }, { sort: { p: -1 } });
    expect(removed!.p).toBe(2);
    expect(await c.countDocuments()).toBe(2);
  });

  it('should delete one or many', async () => {
    const c = db.collection('del');
    await c.insertMany([{ k: 1 }, { k: 1 }, { k: 2 }]);
    expect((await c.deleteOne({ k: 1 })).deletedCount).toBe(1);
    expect((await c.deleteMany({})).deletedCount).toBe(2);
  });

  it('should aggregate with $lookup across collections, $unwind, $group, $facet and $expr', async () => {
    await db.collection('customers').insertMany([{ _id: 'c1', tier: 'GOLD' }, { _id: 'c2', tier: 'SILVER' }] as never[]);
    await db.collection('orders').insertMany([
      { customerId: 'c1', total: 10 }, { customerId: 'c1', total: 5 }, { customerId: 'c2', total: 7 },
    ]);
    const rows = await db.collection('customers').aggregate([
      { $lookup: { from: 'orders', localField: '_id', foreignField: 'customerId', as: 'orders' } },
      { $unwind: '$orders' },
      { $group: { _id: '$tier', sum: { $sum: '$orders.total' } } },
      { $sort: { _id: 1 } },
    ]).toArray();
    expect(rows).toEqual([{ _id: 'GOLD', sum: 15 }, { _id: 'SILVER', sum: 7 }]);
    const [facets] = await db.collection('orders').aggregate([
      { $match: { $expr: { $gt: ['$total', 6] } } },
      { $facet: { n: [{ $count: 'n' }], max: [{ $group: { _id: null, m: { $max: '$total' } } }] } },
    ]).toArray();
    expect(facets).toEqual({ n: [{ n: 2 }], max: [{ _id: null, m: 10 }] });
  });

  it('should walk a topology with $graphLookup', async () => {
    const r = db.collection('resources');
    await r.insertMany([
      { _id: 'fibre-1', reliesOn: [] }, { _id: 'agg-1', reliesOn: ['fibre-1'] },
      { _id: 'port-1', reliesOn: ['agg-1'] }, { _id: 'port-2', reliesOn: ['agg-1'] },
    ] as never[]);
    const [row] = await r.aggregate([
      { $match: { _id: 'fibre-1' } },
      { $graphLookup: { from: 'resources', startWith: '$_id', connectFromField: '_id', connectToField: 'reliesOn', as: 'downstream' } },
      { $project: { ids: '$downstream._id' } },
    ]).toArray();
    expect((row.ids as string[]).sort()).toEqual(['agg-1', 'port-1', 'port-2']);
  });
});

describe('catalog commands', () => {
  it('should list collections with a filter, names only, and databases', async () => {
    await db.createCollection('listed_a');
    await db.createCollection('listed_b');
    const names = (await db.listCollections({ name: { $regex: '^listed_' } }, { nameOnly: true }).toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['listed_a', 'listed_b']);
    await expect(db.createCollection('listed_a')).rejects.toMatchObject({ code: 48 });
    const dbs = (await server.client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(dbs).toContain(db.databaseName);
    await db.collection('listed_b').drop();
    expect((await db.listCollections({ name: 'listed_b' }).toArray()).length).toBe(0);
  });
});

describe('honest failures', () => {
  it('should answer an unknown command with CommandNotFound', async () => {
    await expect(db.command({ frobnicate: 1 })).rejects.toMatchObject({ code: 59 });
  });

  it('should reject an unknown aggregation stage naming it', async () => {
    await expect(db.collection('x').aggregate([{ $frob: {} }]).toArray()).rejects.toMatchObject({ code: 40324 });
  });

  it('should reject an unknown query operator', async () => {
    await expect(db.collection('x').find({ a: { $frob: 1 } }).toArray()).rejects.toMatchObject({ code: 2, message: expect.stringContaining('$frob') });
  });

  it('should refuse a non-simple collation instead of ignoring it', async () => {
    await expect(db.collection('x').find({}, { collation: { locale: 'fr', strength: 1 } }).toArray()).rejects.toThrow(/collation/);
  });
});
