import { describe, expect, it } from 'vitest';
import { ids, idKeyOf, TestCollection } from './helpers.js';

function orders(): TestCollection {
  const c = new TestCollection('shop.orders');
  c.createIndex({ status: 1, at: -1 });
  c.createIndex({ total: 1 });
  c.createIndex({ tags: 1 });
  const statuses = ['new', 'paid'];
  for (let i = 0; i < 20; i++) c.insert({ _id: i, status: statuses[i % 2], at: (i * 7) % 20, ...(i % 4 === 0 ? {} : { total: i }), tags: i === 3 ? ['x', 'y'] : 'z' });
  return c;
}

const field = (c: TestCollection, keys: Iterable<string>, f: string) => [...keys].map((k) => c.docs.get(k)![f]);

describe('scanOrder(): sort pushdown', () => {
  it('walks an index forwards or backwards, missing values first like mongod sorts null', () => {
    const c = orders();
    const asc = c.indexes.scanOrder({ total: 1 });
    expect(asc?.indexName).toBe('total_1');
    const totals = field(c, asc!.idKeys, 'total');
    expect(totals.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(totals.slice(5)).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19]);
    expect(field(c, c.indexes.scanOrder({ total: -1 })!.idKeys, 'total').slice(0, 3)).toEqual([19, 18, 17]);
    expect(c.indexes.scanOrder({ _id: -1 })?.indexName).toBe('_id_');
  });

  it('follows an equality prefix and honours the index’s own directions', () => {
    const c = orders();
    const scan = c.indexes.scanOrder({ at: -1 }, { status: 'paid', total: { $gt: 2 } });
    expect(scan?.indexName).toBe('status_1_at_-1');
    const keys = [...scan!.idKeys];
    expect(field(c, keys, 'status').every((s) => s === 'paid')).toBe(true);
    const ats = field(c, keys, 'at') as number[];
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    expect(keys).toHaveLength(10);
    const reversed = field(c, c.indexes.scanOrder({ at: 1 }, { status: 'paid' })!.idKeys, 'at') as number[];
    expect(reversed).toEqual([...ats].reverse());
    expect(field(c, c.indexes.scanOrder({ status: -1, at: 1 })!.idKeys, 'status').slice(0, 10).every((s) => s === 'paid')).toBe(true);
  });

  it('refuses sorts an index order would get wrong', () => {
    const c = orders();
    expect(c.indexes.scanOrder({ status: 1, at: 1 })).toBeNull(); // mixed relative directions
    expect(c.indexes.scanOrder({ at: 1 })).toBeNull(); // not a prefix without equality on status
    expect(c.indexes.scanOrder({ tags: 1 })).toBeNull(); // multikey: arrays sort by min/max element
    expect(c.indexes.scanOrder({ nope: 1 })).toBeNull();
    expect(c.indexes.scanOrder({ score: { $meta: 'textScore' } })).toBeNull();
    c.createIndex({ sparseField: 1 }, { sparse: true });
    expect(c.indexes.scanOrder({ sparseField: 1 })).toBeNull(); // would miss documents without the field
  });

  it('yields a snapshot: writes during iteration neither break nor leak into it', () => {
    const c = orders();
    const iter = c.indexes.scanOrder({ _id: 1 })!.idKeys[Symbol.iterator]();
    const first = iter.next().value;
    for (let i = 100; i < 400; i++) c.insert({ _id: i, status: 'new', at: i });
    c.delete(5);
    const rest = [first];
    for (let r = iter.next(); !r.done; r = iter.next()) rest.push(r.value);
    expect(rest.sort()).toEqual(ids(...Array.from({ length: 20 }, (_, i) => i)));
    expect(rest).toContain(idKeyOf({ _id: 5 }));
  });
});
