import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { duplicateKeyError } from '../../src/storage/indexes/collection-indexes.js';
import { idKeyOf, TestCollection, thrown } from './helpers.js';

describe('unique indexes', () => {
  it('rejects a duplicate with mongod’s exact E11000 error, keyPattern and keyValue', () => {
    const c = new TestCollection('test.users');
    c.createIndex({ email: 1 }, { unique: true });
    c.insert({ _id: 1, email: 'a@b.c' });
    const err = thrown(() => c.insert({ _id: 2, email: 'a@b.c' }));
    expect(err.code).toBe(11000);
    expect(err.codeName).toBe('DuplicateKey');
    expect(err.message).toBe('E11000 duplicate key error collection: test.users index: email_1 dup key: { email: "a@b.c" }');
    expect(err.extra).toEqual({ keyPattern: { email: 1 }, keyValue: { email: 'a@b.c' } });
    expect(c.docs.size).toBe(1);
    c.insert({ _id: 3, email: 'other@b.c' });
  });

  it('treats numbers of equal value as the same key (1 == 1.0)', () => {
    const c = new TestCollection();
    c.createIndex({ n: 1 }, { unique: true });
    c.insert({ _id: 1, n: 1 });
    expect(thrown(() => c.insert({ _id: 2, n: 1.0 })).message).toContain('dup key: { n: 1 }');
  });

  it('enforces compound keys on the whole tuple and formats every field', () => {
    const c = new TestCollection('shop.orders');
    c.createIndex({ a: 1, b: -1 }, { unique: true });
    c.insert({ _id: 1, a: 1, b: 'x' });
    c.insert({ _id: 2, a: 1, b: 'y' });
    c.insert({ _id: 3, a: 2, b: 'x' });
    const err = thrown(() => c.insert({ _id: 4, a: 1, b: 'x' }));
    expect(err.message).toBe('E11000 duplicate key error collection: shop.orders index: a_1_b_-1 dup key: { a: 1, b: "x" }');
    expect(err.extra).toEqual({ keyPattern: { a: 1, b: -1 }, keyValue: { a: 1, b: 'x' } });
  });

  it('formats ObjectId, Date, null and nested documents like mongod', () => {
    const oid = new ObjectId('65a1b2c3d4e5f60718293a4b');
    const err = duplicateKeyError('db.c', { name: 'x_1_d_1_n_1_o_1', key: { x: 1, d: 1, n: 1, o: 1 } }, {
      x: oid,
      d: new Date(1577836800000),
      n: null,
      o: { a: 1, s: 'q"t' },
    });
    expect(err.message).toBe(
      `E11000 duplicate key error collection: db.c index: x_1_d_1_n_1_o_1 dup key: { x: ObjectId('65a1b2c3d4e5f60718293a4b'), d: new Date(1577836800000), n: null, o: { a: 1, s: "q\\"t" } }`,
    );
  });

  it('lets missing fields collide as null in a non-sparse unique index', () => {
    const c = new TestCollection();
    c.createIndex({ email: 1 }, { unique: true });
    c.insert({ _id: 1 });
    const err = thrown(() => c.insert({ _id: 2, email: null }));
    expect(err.message).toContain('index: email_1 dup key: { email: null }');
    expect(err.extra.keyValue).toEqual({ email: null });
    expect(() => c.insert({ _id: 3 })).toThrow(/E11000/);
  });

  it('skips documents missing the field in a sparse unique index, but not explicit nulls', () => {
    const c = new TestCollection();
    c.createIndex({ email: 1 }, { unique: true, sparse: true });
    c.insert({ _id: 1 });
    c.insert({ _id: 2 });
    c.insert({ _id: 3, email: null });
    expect(() => c.insert({ _id: 4, email: null })).toThrow(/dup key: \{ email: null \}/);
    c.insert({ _id: 5, email: 'x' });
    expect(() => c.insert({ _id: 6, email: 'x' })).toThrow(/E11000/);
  });

  it('keeps a compound sparse index for documents having any key field', () => {
    const c = new TestCollection();
    c.createIndex({ a: 1, b: 1 }, { unique: true, sparse: true });
    c.insert({ _id: 1 });
    c.insert({ _id: 2 });
    c.insert({ _id: 3, a: 1 });
    expect(thrown(() => c.insert({ _id: 4, a: 1 })).message).toContain('dup key: { a: 1, b: null }');
  });

  it('only constrains documents inside a partial index filter', () => {
    const c = new TestCollection();
    c.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: { $eq: true } } });
    c.insert({ _id: 1, email: 'a', active: false });
    c.insert({ _id: 2, email: 'a', active: false });
    c.insert({ _id: 3, email: 'a', active: true });
    expect(() => c.insert({ _id: 4, email: 'a', active: true })).toThrow(/index: email_1 dup key: \{ email: "a" \}/);
    // Moving a document into the filter makes it collide; moving it out frees the key.
    expect(() => c.update({ _id: 1, email: 'a', active: true })).toThrow(/E11000/);
    c.update({ _id: 3, email: 'a', active: false });
    c.update({ _id: 1, email: 'a', active: true });
    expect(c.indexes.uniqueConflicts({ _id: 9, email: 'a', active: true }, idKeyOf({ _id: 9 }))[0].idKeys).toEqual([idKeyOf({ _id: 1 })]);
  });

  it('makes every element of a multikey unique index count', () => {
    const c = new TestCollection();
    c.createIndex({ tags: 1 }, { unique: true });
    c.insert({ _id: 1, tags: ['a', 'b', 'b'] }); // repeats within one document are fine
    c.insert({ _id: 2, tags: ['c'] });
    const err = thrown(() => c.insert({ _id: 3, tags: ['x', 'b'] }));
    expect(err.message).toContain('dup key: { tags: "b" }');
    expect(err.extra.keyValue).toEqual({ tags: 'b' });
    c.update({ _id: 1, tags: ['a'] });
    c.insert({ _id: 3, tags: ['x', 'b'] });
  });

  it('does not count the document itself when it is updated in place', () => {
    const c = new TestCollection();
    c.createIndex({ email: 1 }, { unique: true });
    c.insert({ _id: 1, email: 'a', n: 1 });
    c.update({ _id: 1, email: 'a', n: 2 });
    expect(c.indexes.uniqueConflicts({ _id: 1, email: 'a' }, idKeyOf({ _id: 1 }))).toEqual([]);
  });

  it('reports all colliding ids so callers can skip ones a transaction already changed', () => {
    const c = new TestCollection();
    c.createIndex({ email: 1 }, { unique: true, name: 'by_email' });
    c.createIndex({ nick: 1 }, { unique: true });
    c.insert({ _id: 1, email: 'a', nick: 'n1' });
    c.insert({ _id: 2, email: 'b', nick: 'n2' });
    const conflicts = c.indexes.uniqueConflicts({ _id: 3, email: 'a', nick: 'n2' }, idKeyOf({ _id: 3 }));
    expect(conflicts.map((x) => [x.spec.name, x.keyValue, x.idKeys])).toEqual([
      ['by_email', { email: 'a' }, [idKeyOf({ _id: 1 })]],
      ['nick_1', { nick: 'n2' }, [idKeyOf({ _id: 2 })]],
    ]);
  });

  it('refuses to build a unique index over existing duplicates, leaving no index behind', () => {
    const c = new TestCollection('test.people');
    c.insert({ _id: 1, email: 'x' });
    c.insert({ _id: 2, email: 'y' });
    c.insert({ _id: 3, email: 'x' });
    const err = thrown(() => c.createIndex({ email: 1 }, { unique: true }));
    expect(err.code).toBe(11000);
    expect(err.message).toBe('E11000 duplicate key error collection: test.people index: email_1 dup key: { email: "x" }');
    expect(c.indexes.list().map((s) => s.name)).toEqual(['_id_']);
    expect(() => c.indexes.wouldCreate({ key: { email: 1 }, name: 'email_1', unique: true }, c.docs.entries())).toThrow(/E11000/);
    c.delete(3);
    expect(c.createIndex({ email: 1 }, { unique: true })).toBe(true);
  });

  it('rejects parallel arrays in a compound key without touching any index (code 171)', () => {
    const c = new TestCollection();
    c.createIndex({ a: 1, b: 1 });
    c.createIndex({ z: 1 });
    c.insert({ _id: 1, a: [1, 2], b: 1, z: 1 });
    const err = thrown(() => c.insert({ _id: 2, a: [1, 2], b: [3, 4], z: 2 }));
    expect(err.code).toBe(171);
    expect(err.codeName).toBe('CannotIndexParallelArrays');
    expect(err.message).toBe('cannot index parallel arrays [b] [a]');
    expect(c.indexes.entryCounts()).toEqual({ _id_: 1, a_1_b_1: 2, z_1: 1 });
  });
});
