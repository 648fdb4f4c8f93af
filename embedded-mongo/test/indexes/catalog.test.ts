import { describe, expect, it } from 'vitest';
import { CollectionIndexes, type IndexSpec } from '../../src/storage/indexes/collection-indexes.js';
import { candidates, deps, ids, TestCollection, thrown } from './helpers.js';

const fresh = () => new CollectionIndexes('test.c', deps);
const spec = (key: IndexSpec['key'], name: string, options: Partial<IndexSpec> = {}): IndexSpec => ({ key, name, ...options });

describe('list()', () => {
  it('starts with _id_ and lists indexes like listIndexes', () => {
    const ix = fresh();
    expect(ix.list()).toEqual([{ v: 2, key: { _id: 1 }, name: '_id_' }]);
    ix.create({ key: { email: 1 }, name: 'email_1', unique: true, background: true, ns: 'test.c' } as IndexSpec, []);
    ix.create(spec({ at: -1 }, 'at_-1', { expireAfterSeconds: 3600 }), []);
    ix.create(spec({ a: 1, 'b.c': -1 }, 'ab', { partialFilterExpression: { a: { $exists: true } } }), []);
    const listed = ix.list();
    expect(listed).toEqual([
      { v: 2, key: { _id: 1 }, name: '_id_' },
      { v: 2, key: { email: 1 }, name: 'email_1', unique: true, background: true },
      { v: 2, key: { at: -1 }, name: 'at_-1', expireAfterSeconds: 3600 },
      { v: 2, key: { a: 1, 'b.c': -1 }, name: 'ab', partialFilterExpression: { a: { $exists: true } } },
    ]);
    expect(Object.keys(listed[1])).toEqual(['v', 'key', 'name', 'unique', 'background']);
    listed[1].key.email = -1; // callers get copies
    expect(ix.list()[1].key).toEqual({ email: 1 });
  });

  it('lists TTL indexes for the expiry monitor', () => {
    const ix = fresh();
    ix.create(spec({ createdAt: 1 }, 'createdAt_1', { expireAfterSeconds: 60 }), []);
    ix.create(spec({ other: 1 }, 'other_1'), []);
    expect(ix.ttl()).toEqual([{ name: 'createdAt_1', path: 'createdAt', expireAfterSeconds: 60 }]);
  });
});

describe('create()', () => {
  it('is a no-op for an identical index and for the _id index', () => {
    const ix = fresh();
    expect(ix.create(spec({ a: 1 }, 'a_1'), [])).toBe(true);
    expect(ix.create(spec({ a: 1 }, 'a_1', { v: 2 }), [])).toBe(false);
    expect(ix.create(spec({ _id: 1 }, '_id_'), [])).toBe(false);
    expect(ix.list()).toHaveLength(2);
  });

  it('throws 86 for the same name with a different key or identity option', () => {
    const ix = fresh();
    ix.create(spec({ email: 1 }, 'email_1'), []);
    const err = thrown(() => ix.create(spec({ email: 1 }, 'email_1', { unique: true }), []));
    expect(err.code).toBe(86);
    expect(err.codeName).toBe('IndexKeySpecsConflict');
    expect(err.message).toBe(
      'An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. ' +
        'Requested index: { v: 2, key: { email: 1 }, name: "email_1", unique: true }, existing index: { v: 2, key: { email: 1 }, name: "email_1" }',
    );
    expect(thrown(() => ix.create(spec({ email: -1 }, 'email_1'), [])).code).toBe(86);
  });

  it('throws 85 for option conflicts and for an equivalent index under another name', () => {
    const ix = fresh();
    ix.create(spec({ at: 1 }, 'at_1', { expireAfterSeconds: 10 }), []);
    const options = thrown(() => ix.create(spec({ at: 1 }, 'at_1', { expireAfterSeconds: 20 }), []));
    expect([options.code, options.codeName]).toEqual([85, 'IndexOptionsConflict']);
    expect(options.message).toMatch(/^An equivalent index already exists with the same name but different options\. Requested index: /);
    const renamed = thrown(() => ix.create(spec({ at: 1 }, 'other', { expireAfterSeconds: 10 }), []));
    expect([renamed.code, renamed.message]).toEqual([85, 'Index already exists with a different name: at_1']);
    expect(thrown(() => ix.create(spec({ _id: 1 }, 'id'), [])).message).toBe('Index already exists with a different name: _id_');
  });

  it('allows the same key pattern with a different unique/sparse/partial identity', () => {
    const ix = fresh();
    ix.create(spec({ a: 1 }, 'a_1'), []);
    expect(ix.create(spec({ a: 1 }, 'a_unique', { unique: true }), [])).toBe(true);
    expect(ix.create(spec({ a: 1 }, 'a_partial', { partialFilterExpression: { b: 1 } }), [])).toBe(true);
  });

  it('answers 238 NotImplemented naming unsupported index types', () => {
    for (const [key, type] of [
      [{ body: 'text' }, "index type 'text'"],
      [{ loc: '2dsphere' }, "index type '2dsphere'"],
      [{ loc: '2d' }, "index type '2d'"],
      [{ a: 'hashed' }, "index type 'hashed'"],
      [{ '$**': 1 }, "wildcard index ('$**')"],
      [{ 'a.$**': 1 }, "wildcard index ('$**')"],
    ] as const) {
      const err = thrown(() => fresh().create(spec(key, 'x'), []));
      expect(err.code).toBe(238);
      expect(err.message).toBe(`${type} is not supported by the embedded MongoDB server`);
    }
  });

  it('rejects bad specs with mongod-like codes and messages', () => {
    const bad = (s: unknown) => thrown(() => fresh().create(s as IndexSpec, []));
    expect(bad({ key: {}, name: 'x' })).toMatchObject({ code: 67, message: 'Error in specification { key: {}, name: "x" } :: caused by :: Index keys cannot be empty.' });
    expect(bad({ key: { a: 1 } })).toMatchObject({ code: 9, codeName: 'FailedToParse' });
    expect(bad({ key: { a: 1 } }).message).toContain("The 'name' field is a required property of an index specification");
    expect(bad({ key: { a: 0 }, name: 'a' }).message).toContain("Values in the index key pattern can't be 0.");
    expect(bad({ key: { a: true }, name: 'a' }).message).toContain('cannot be of type bool');
    expect(bad({ key: { a: 'foo' }, name: 'a' })).toMatchObject({ code: 67, codeName: 'CannotCreateIndex' });
    expect(bad({ key: { a: 'foo' }, name: 'a' }).message).toContain("Unknown index plugin 'foo'");
    expect(bad({ key: { $a: 1 }, name: 'a' }).message).toContain("field name starts with '$'");
    expect(bad({ key: { 'a..b': 1 }, name: 'a' }).message).toContain('Index keys cannot be an empty field.');
    expect(bad({ key: { a: 1 }, name: 'a', bogus: 1 })).toMatchObject({ code: 197, codeName: 'InvalidIndexSpecificationOption' });
    expect(bad({ key: { a: 1 }, name: 'a', bogus: 1 }).message).toMatch(/^The field 'bogus' is not valid for an index specification/);
    expect(bad({ key: { _id: 1 }, name: '_id_', unique: true }).message).toMatch(/^The field 'unique' is not valid for an _id index specification/);
    expect(bad({ key: { a: 1 }, name: 'a', sparse: true, partialFilterExpression: { a: 1 } }).message).toContain('cannot mix "partialFilterExpression" and "sparse" options');
    expect(bad({ key: { a: 1 }, name: 'a', partialFilterExpression: { a: { $ne: 1 } } }).message).toContain('Expression not supported in partial index: a $ne 1');
    expect(bad({ key: { a: 1 }, name: 'a', partialFilterExpression: 'x' })).toMatchObject({ code: 14 });
    expect(bad({ key: { a: 1, b: 1 }, name: 'ab', expireAfterSeconds: 5 }).message).toContain('TTL indexes are single-field indexes');
    expect(bad({ key: { a: 1 }, name: 'a', expireAfterSeconds: -1 }).message).toContain("'expireAfterSeconds' option must be within an acceptable range");
    expect(bad({ key: { a: 1 }, name: 'a', expireAfterSeconds: 'x' }).message).toContain("'expireAfterSeconds' option must be numeric");
    expect(bad({ key: { a: 1 }, name: '*' })).toMatchObject({ code: 67 });
  });

  it('reuses the build from wouldCreate() only if no document changed in between', () => {
    const c = new TestCollection();
    c.insert({ _id: 1, a: 1 });
    expect(c.indexes.wouldCreate(spec({ a: 1 }, 'a_1'), c.docs.entries())).toBe(true);
    expect(c.indexes.list()).toHaveLength(1); // nothing registered yet
    c.insert({ _id: 2, a: 1 }); // invalidates the prepared build
    c.indexes.create(spec({ a: 1 }, 'a_1'), c.docs.entries());
    expect(candidates(c.indexes.plan({ a: 1 }))).toEqual(ids(1, 2));
    expect(c.indexes.wouldCreate(spec({ a: 1 }, 'a_1'), c.docs.entries())).toBe(false);
  });

  it('clear() empties entries but keeps definitions', () => {
    const c = new TestCollection();
    c.createIndex({ a: 1 });
    c.insert({ _id: 1, a: 1 });
    c.indexes.clear();
    expect(c.indexes.entryCounts()).toEqual({ _id_: 0, a_1: 0 });
    expect(c.indexes.list().map((s) => s.name)).toEqual(['_id_', 'a_1']);
  });
});

describe('drop()', () => {
  const setup = () => {
    const ix = fresh();
    ix.create(spec({ a: 1 }, 'a_1'), []);
    ix.create(spec({ b: 1 }, 'b_1'), []);
    ix.create(spec({ b: 1 }, 'b_partial', { partialFilterExpression: { b: { $gt: 1 } } }), []);
    return ix;
  };

  it('drops by name, by key pattern and with "*"', () => {
    const ix = setup();
    ix.drop('a_1');
    expect(ix.list().map((s) => s.name)).toEqual(['_id_', 'b_1', 'b_partial']);
    ix.drop('b_partial');
    ix.drop({ b: 1 });
    expect(ix.list().map((s) => s.name)).toEqual(['_id_']);
    const all = setup();
    all.drop('*');
    expect(all.list().map((s) => s.name)).toEqual(['_id_']);
  });

  it('answers mongod’s errors', () => {
    const ix = setup();
    expect(thrown(() => ix.drop('nope'))).toMatchObject({ code: 27, codeName: 'IndexNotFound', message: 'index not found with name [nope]' });
    expect(thrown(() => ix.drop({ zz: 1 }))).toMatchObject({ code: 27, message: "can't find index with key: { zz: 1 }" });
    expect(thrown(() => ix.drop('_id_'))).toMatchObject({ code: 72, codeName: 'InvalidOptions', message: 'cannot drop _id index' });
    expect(thrown(() => ix.drop({ _id: 1 }))).toMatchObject({ code: 72 });
    expect(thrown(() => ix.drop({ b: 1 }))).toMatchObject({ code: 181, codeName: 'AmbiguousIndexKeyPattern' });
    expect(ix.resolveName({ a: 1 })).toBe('a_1');
  });
});
