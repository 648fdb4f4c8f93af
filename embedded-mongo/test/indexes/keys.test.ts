import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { compareValues } from '../../src/bson/compare.js';
import { comparePart } from '../../src/storage/indexes/key-order.js';
import { formatShell } from '../../src/storage/indexes/shell-format.js';
import { compileFilter } from '../../src/query/filter.js';
import { indexValues } from '../../src/query/paths.js';
import { candidates, ids, TestCollection, thrown } from './helpers.js';

const realDeps = { indexValues, compileFilter };

describe('comparePart fast paths', () => {
  it('orders exactly like compareValues', () => {
    const oids = Array.from({ length: 50 }, (_, i) => (i % 2 ? new ObjectId() : ObjectId.createFromTime(Math.floor(Math.random() * 2 ** 32))));
    const values: unknown[] = [
      ...oids,
      0, -0, 1, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53,
      '', 'a', 'B', 'ab', 'é', '\u{1F600}',
      new Date(0), new Date(-5), new Date(8.64e15), new Date(NaN),
      null, true, false, { a: 1 }, [1], Long.fromNumber(3), Decimal128.fromString('2.5'),
    ];
    for (const a of values) {
      for (const b of values) expect(Math.sign(comparePart(a, b)), `${String(a)} vs ${String(b)}`).toBe(Math.sign(compareValues(a, b)));
    }
  });
});

describe('formatShell', () => {
  it('spells BSON values like mongod’s BSONObj::toString', () => {
    expect(formatShell({ l: Long.fromNumber(5), d: Decimal128.fromString('1.5'), n: -2.25 })).toBe('{ l: 5, d: NumberDecimal("1.5"), n: -2.25 }');
    expect(formatShell({ b: new Binary(Buffer.from('hi'), 4), t: new Timestamp({ t: 7, i: 3 }) })).toBe('{ b: BinData(4, 6869), t: Timestamp(7, 3) }');
    expect(formatShell({ a: [1, 'x', []], e: {}, r: /a.b/i, min: new MinKey(), max: new MaxKey(), u: undefined, f: false })).toBe(
      '{ a: [ 1, "x", [] ], e: {}, r: /a.b/i, min: MinKey, max: MaxKey, u: undefined, f: false }',
    );
  });
});

describe('multikey keys', () => {
  it('combines fields traversing the same array, as a cartesian product', () => {
    const c = new TestCollection();
    c.createIndex({ 'items.sku': 1, 'items.qty': 1 });
    c.insert({ _id: 1, items: [{ sku: 'x', qty: 1 }, { sku: 'y', qty: 2 }] });
    c.insert({ _id: 2, items: [{ sku: 'x', qty: 1 }] });
    expect(c.indexes.entryCounts()['items.sku_1_items.qty_1']).toBe(5);
    // Each predicate may be satisfied by a different element, so (x, 2) must find document 1.
    const f = { 'items.sku': 'x', 'items.qty': 2 };
    expect(candidates(c.indexes.plan(f))).toEqual(ids(1));
    expect(c.query(f).ids).toEqual(c.scan(f));
  });

  it('keys an empty array apart from null: no collision with a missing field', () => {
    const c = new TestCollection('t.c');
    c.createIndex({ a: 1 }, { unique: true });
    c.insert({ _id: 1, a: [] });
    c.insert({ _id: 2 });
    const err = thrown(() => c.insert({ _id: 3, a: [] }));
    expect(err.message).toBe('E11000 duplicate key error collection: t.c index: a_1 dup key: { a: undefined }');
    expect(c.query({ a: null }).ids).toEqual(c.scan({ a: null }));
  });

  it('with the real query layer: one-element parallel arrays are refused, empty arrays keyed apart', () => {
    const c = new TestCollection('t.real', realDeps);
    c.createIndex({ a: 1, b: 1 });
    c.createIndex({ e: 1 }, { unique: true });
    expect(thrown(() => c.insert({ _id: 1, a: [1], b: [2] })).code).toBe(171);
    c.insert({ _id: 2, a: [1], b: 2, e: [] });
    c.insert({ _id: 3, a: 1, b: 2 });
    expect(thrown(() => c.insert({ _id: 4, e: [] })).message).toContain('dup key: { e: undefined }');
    expect(c.indexes.scanOrder({ a: 1 })).toBeNull(); // a one-element array still makes `a` multikey
    expect(candidates(c.indexes.plan({ a: 1, b: 2 }))).toEqual(ids(2, 3));
  });
});
