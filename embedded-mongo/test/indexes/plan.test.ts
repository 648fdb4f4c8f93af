import { Decimal128, Long, ObjectId } from 'bson';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from '../../src/types.js';
import { candidates, ids, TestCollection } from './helpers.js';

/** Documents with deliberately mixed types in `v` and varied shapes in `tags`. */
function mixed(): TestCollection {
  const c = new TestCollection();
  c.createIndex({ v: 1 });
  c.createIndex({ tags: 1 });
  const docs: Doc[] = [
    { _id: 1, v: 1 },
    { _id: 2, v: 5 },
    { _id: 3, v: 7.5 },
    { _id: 4, v: '6' },
    { _id: 5, v: 'abc' },
    { _id: 6, v: new Date('2024-01-01') },
    { _id: 7, v: new Date('2024-06-01') },
    { _id: 8, v: null },
    { _id: 9 },
    { _id: 10, v: [4, 9] },
    { _id: 11, v: Long.fromNumber(6) },
    { _id: 12, v: Decimal128.fromString('6.5') },
    { _id: 13, v: true },
    { _id: 14, v: { x: 1 } },
    { _id: 15, v: [] },
    { _id: 16, tags: ['a', 'b'] },
    { _id: 17, tags: 'a' },
  ];
  for (const d of docs) c.insert(d);
  return c;
}

describe('plan(): candidate sets', () => {
  const c = mixed();
  const plan = (f: Doc) => c.indexes.plan(f);

  it('answers equality from the index, across number types', () => {
    expect(plan({ v: 5 })?.indexName).toBe('v_1');
    expect(candidates(plan({ v: 5 }))).toEqual(ids(2));
    expect(candidates(plan({ v: { $eq: 6 } }))).toEqual(ids(11)); // Long(6) == 6
    expect(candidates(plan({ v: 9 }))).toEqual(ids(10)); // array element
    expect(candidates(plan({ v: '6' }))).toEqual(ids(4)); // a string is not a number
    expect(candidates(plan({ v: { x: 1 } }))).toEqual(ids(14));
  });

  it('answers $in as a union of points, including an empty $in', () => {
    expect(candidates(plan({ v: { $in: [1, 'abc', 9, 1.0] } }))).toEqual(ids(1, 5, 10));
    expect(candidates(plan({ v: { $in: [] } }))).toEqual([]);
  });

  it('brackets ranges by type: numbers only for a numeric bound, Dates only for a Date bound', () => {
    expect(candidates(plan({ v: { $gt: 5 } }))).toEqual(ids(3, 10, 11, 12)); // a plain number bound is exact: 5 itself is excluded
    expect(candidates(plan({ v: { $gte: 4, $lt: 7 } }))).toEqual(ids(2, 3, 10, 11, 12)); // multikey: only the first bound narrows
    expect(c.query({ v: { $gte: 4, $lt: 7 } }).ids).toEqual(c.scan({ v: { $gte: 4, $lt: 7 } })); // [4, 9] matches: each bound by another element
    expect(c.scan({ v: { $gte: 4, $lt: 7 } })).toContain(ids(10)[0]);
    expect(candidates(plan({ v: { $lte: 1 } }))).toEqual(ids(1));
    expect(candidates(plan({ v: { $gt: new Date('2024-02-01') } }))).toEqual(ids(7));
    expect(candidates(plan({ v: { $lt: new Date('2030-01-01') } }))).toEqual(ids(6, 7));
    expect(candidates(plan({ v: { $gte: 'a' } }))).toEqual(ids(5));
    expect(candidates(plan({ v: { $gt: 'abc' } }))).toEqual([]); // exclusive string bound
    // Multikey: [6, 'a'] would match { $gt: 5, $lt: 'z' }, so the brackets are not intersected.
    expect(candidates(plan({ v: { $gt: 5, $lt: 'z' } }))).toEqual(ids(3, 10, 11, 12));
  });

  it('intersects ranges on a single-valued field, down to nothing for disjoint type brackets', () => {
    const s = new TestCollection();
    s.createIndex({ n: 1 });
    for (const [i, n] of [1, 5, 7, 'x', 'zz', 9].entries()) s.insert({ _id: i, n });
    expect(candidates(s.indexes.plan({ n: { $gt: 5, $lt: 'z' } }))).toEqual([]);
    expect(candidates(s.indexes.plan({ n: { $gt: 4, $lte: 7 } }))).toEqual(ids(1, 2));
    expect(candidates(s.indexes.plan({ $and: [{ n: { $gte: 'a' } }, { n: { $lt: 'y' } }] }))).toEqual(ids(3));
  });

  it('finds null and missing together (and empty arrays, conservatively) for { v: null }', () => {
    expect(candidates(plan({ v: null }))).toEqual(ids(8, 9, 15, 16, 17));
    expect(c.query({ v: null }).ids).toEqual(ids(8, 9, 16, 17));
  });

  it('uses top-level $and and ignores conjuncts it cannot use', () => {
    expect(candidates(plan({ $and: [{ v: { $gte: 7 } }, { v: { $ne: 9 } }] }))).toEqual(ids(3, 10));
    expect(candidates(plan({ v: { $gte: 7, $not: { $eq: 9 } }, other: /x/ }))).toEqual(ids(3, 10));
  });

  it('returns null for shapes no index can answer', () => {
    for (const f of [
      {},
      { v: /a/ },
      { v: { $regex: 'a' } },
      { v: { $ne: 5 } },
      { v: { $nin: [5] } },
      { v: { $exists: true } },
      { v: { $not: { $gt: 5 } } },
      { v: [4, 9] },
      { v: { $in: [1, /x/] } },
      { v: { $gt: null } },
      { v: { $elemMatch: { $gt: 1 } } },
      { 'v.0': 4 },
      { w: 1 },
      { $or: [{ v: 1 }, { w: 1 }] },
      { $nor: [{ v: 1 }] },
      { $expr: { $eq: ['$v', 1] } },
    ]) {
      expect(plan(f), JSON.stringify(f)).toBeNull();
    }
  });

  it('answers $or by a union when every branch is indexed', () => {
    const p = plan({ $or: [{ v: 1 }, { tags: 'a' }, { _id: 3 }] });
    expect(p?.indexName).toBe('v_1,tags_1,_id_');
    expect(candidates(p)).toEqual(ids(1, 3, 16, 17));
  });

  it('uses the _id index for _id equality, $in and ranges', () => {
    expect(plan({ _id: 4 })).toMatchObject({ indexName: '_id_', keysExamined: 1 });
    expect(candidates(plan({ _id: { $in: [2, 3, 99] } }))).toEqual(ids(2, 3));
    expect(candidates(plan({ _id: { $gt: 15 } }))).toEqual(ids(16, 17)); // numeric bounds stay inclusive
    expect(c.query({ _id: { $gt: 15 } }).ids).toEqual(ids(16, 17));
  });

  it('always agrees with a collection scan after re-checking', () => {
    for (const f of [{ v: { $gt: 5 } }, { v: null }, { v: { $in: [null, 5] } }, { tags: 'b' }, { v: { $gte: 4, $lt: 7 } }]) {
      expect(c.query(f).ids, JSON.stringify(f)).toEqual(c.scan(f));
    }
  });
});

describe('plan(): compound indexes', () => {
  const c = new TestCollection();
  c.createIndex({ status: 1, at: -1 });
  for (let i = 0; i < 60; i++) c.insert({ _id: i, status: ['new', 'paid', 'shipped'][i % 3], at: new Date(2024, 0, 1 + i), qty: i % 7 });

  it('uses an equality prefix followed by a range on the next field', () => {
    const p = c.indexes.plan({ status: 'paid', at: { $gte: new Date(2024, 0, 40) } });
    expect(p?.indexName).toBe('status_1_at_-1');
    expect(candidates(p)).toEqual(c.scan({ status: 'paid', at: { $gte: new Date(2024, 0, 40) } }));
    expect(p?.keysExamined).toBe(7);
  });

  it('multiplies $in on the prefix with the next field', () => {
    const f = { status: { $in: ['new', 'shipped'] }, at: { $lt: new Date(2024, 0, 10) } };
    expect(candidates(c.indexes.plan(f))).toEqual(c.scan(f));
  });

  it('gets exclusive and inclusive ends right on a descending field', () => {
    const day = (d: number) => new Date(2024, 0, d);
    for (const at of [{ $gt: day(10) }, { $gte: day(10) }, { $lt: day(30) }, { $lte: day(30) }, { $gt: day(10), $lte: day(31) }, { $gt: day(10), $lt: day(11) }]) {
      const f = { status: 'paid', at };
      expect(candidates(c.indexes.plan(f)), JSON.stringify(at)).toEqual(c.scan(f));
    }
  });

  it('uses the leading field alone, but never a non-leading field alone', () => {
    expect(c.indexes.plan({ status: 'new' })?.keysExamined).toBe(20);
    expect(c.indexes.plan({ at: new Date(2024, 0, 5) })).toBeNull();
  });
});

describe('plan(): sparse and partial indexes are used only when provably complete', () => {
  const c = new TestCollection();
  c.createIndex({ email: 1 }, { sparse: true });
  c.createIndex({ score: 1 }, { partialFilterExpression: { score: { $gt: 10 } } });
  c.createIndex({ city: 1 }, { partialFilterExpression: { active: true } });
  for (let i = 0; i < 30; i++) c.insert({ _id: i, ...(i % 2 ? { email: `u${i % 5}` } : {}), score: i, city: i % 3 ? 'x' : 'y', active: i < 15 });

  it('sparse: equality and ranges yes, null no', () => {
    expect(c.indexes.plan({ email: 'u1' })?.indexName).toBe('email_1');
    expect(c.indexes.plan({ email: { $gte: 'u' } })?.indexName).toBe('email_1');
    expect(c.indexes.plan({ email: null })).toBeNull();
    expect(c.indexes.plan({ email: { $in: ['u1', null] } })).toBeNull();
    expect(c.query({ email: null }).ids).toEqual(c.scan({ email: null }));
  });

  it('partial: only when the query implies the filter', () => {
    expect(c.indexes.plan({ score: { $gt: 20 } })?.indexName).toBe('score_1');
    expect(c.indexes.plan({ score: { $gt: 10 } })?.indexName).toBe('score_1');
    expect(c.indexes.plan({ score: 25 })?.indexName).toBe('score_1');
    expect(c.indexes.plan({ score: { $gte: 10 } })).toBeNull();
    expect(c.indexes.plan({ score: 5 })).toBeNull();
    expect(c.indexes.plan({ score: { $lt: 20 } })).toBeNull();
    expect(c.indexes.plan({ city: 'x' })).toBeNull();
    expect(c.indexes.plan({ city: 'x', active: true })?.indexName).toBe('city_1');
    for (const f of [{ score: { $gt: 20 } }, { score: 5 }, { city: 'x', active: true }]) expect(c.query(f).ids).toEqual(c.scan(f));
  });
});

describe('plan(): dotted paths and ObjectIds', () => {
  it('indexes sub-document paths through arrays', () => {
    const c = new TestCollection();
    c.createIndex({ 'items.sku': 1 });
    const a = new ObjectId();
    c.insert({ _id: a, items: [{ sku: 'x' }, { sku: 'y' }] });
    c.insert({ _id: 2, items: { sku: 'y' } });
    c.insert({ _id: 3, items: [{ qty: 1 }] });
    expect(candidates(c.indexes.plan({ 'items.sku': 'y' }))).toEqual(ids(a, 2));
    expect(c.query({ 'items.sku': null }).ids).toEqual(c.scan({ 'items.sku': null }));
  });
});

describe('plan(): index use on 10^5 documents', () => {
  const c = new TestCollection('perf.events');
  beforeAll(() => {
    c.createIndex({ user: 1 });
    c.createIndex({ kind: 1, at: 1 });
    for (let i = 0; i < 100_000; i++) c.insert({ _id: i, user: `u${i % 5000}`, kind: `k${i % 10}`, at: i });
  });

  it('examines only the matching keys', () => {
    const eq = c.indexes.plan({ user: 'u42' });
    expect(eq).toMatchObject({ indexName: 'user_1', keysExamined: 20 });
    const range = c.indexes.plan({ kind: 'k3', at: { $gte: 50_000, $lt: 50_100 } });
    expect(range).toMatchObject({ indexName: 'kind_1_at_1', keysExamined: 10 });
    expect(candidates(range)).toEqual(ids(...Array.from({ length: 10 }, (_, i) => 50_003 + i * 10)));
    expect(c.indexes.plan({ _id: { $in: [5, 99_999] } })?.keysExamined).toBe(2);
  });

  it('picks the most selective index and honours maxKeys', () => {
    expect(c.indexes.plan({ user: 'u42', kind: 'k2' })?.indexName).toBe('user_1');
    expect(c.indexes.plan({ kind: 'k2' }, { maxKeys: 1000 })).toBeNull();
  });

  it('is fast', () => {
    const started = performance.now();
    for (let i = 0; i < 2000; i++) c.indexes.plan({ user: `u${i}` });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
