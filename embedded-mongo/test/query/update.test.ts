import { Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { applyUpdate, updateKind, type UpdateOptions, upsertSeed } from '../../src/query/update.js';
import type { Doc } from '../../src/types.js';
import { deepFreeze, errorOf } from '../helpers/assertions.js';

/** Applies an update to a frozen copy and returns the new document. */
function up(doc: Doc, update: Doc | Doc[], opts?: UpdateOptions): Doc {
  return applyUpdate(deepFreeze(doc), update, opts).doc;
}

describe('field operators', () => {
  it('$set creates nested paths, pads arrays and appends new fields in path order', () => {
    expect(up({ _id: 1 }, { $set: { z: 1, 'a.b.c': 2, m: [1] } })).toEqual({ _id: 1, a: { b: { c: 2 } }, m: [1], z: 1 });
    expect(Object.keys(up({ _id: 1 }, { $set: { z: 1, a: 2 } }))).toEqual(['_id', 'a', 'z']);
    expect(up({ _id: 1, arr: [1] }, { $set: { 'arr.3': 9 } })).toEqual({ _id: 1, arr: [1, null, null, 9] });
    expect(up({ _id: 1, o: { keep: true } }, { $set: { 'o.x': 1 } })).toEqual({ _id: 1, o: { keep: true, x: 1 } });
  });

  it('$unset removes fields and nulls array elements; missing paths are no-ops', () => {
    expect(up({ _id: 1, a: 1, b: { c: 1, d: 2 } }, { $unset: { a: '', 'b.c': 1, 'x.y': 1 } })).toEqual({ _id: 1, b: { d: 2 } });
    expect(up({ _id: 1, arr: [1, 2, 3] }, { $unset: { 'arr.1': '' } })).toEqual({ _id: 1, arr: [1, null, 3] });
  });

  it('$inc and $mul keep numeric types (int, long, Decimal128)', () => {
    expect(up({ _id: 1, n: 5 }, { $inc: { n: 2, fresh: 3 } })).toEqual({ _id: 1, n: 7, fresh: 3 });
    expect(up({ _id: 1, n: 2 }, { $mul: { n: 2.5, fresh: 3 } })).toEqual({ _id: 1, n: 5, fresh: 0 });
    const d = up({ _id: 1, d: Decimal128.fromString('1.25') }, { $inc: { d: 1 } }).d;
    expect(d).toBeInstanceOf(Decimal128);
    expect(String(d)).toBe('2.25');
    const l = up({ _id: 1, n: Number.MAX_SAFE_INTEGER }, { $inc: { n: 10 } }).n;
    expect(l).toBeInstanceOf(Long);
    expect(String(l)).toBe('9007199254741001');
  });

  it('$min and $max compare in BSON order', () => {
    const at = new Date('2024-05-01');
    expect(up({ _id: 1, lo: 5, hi: 5, at }, { $min: { lo: 3, at: new Date('2020-01-01') }, $max: { hi: 4 } })).toEqual({
      _id: 1,
      lo: 3,
      hi: 5,
      at: new Date('2020-01-01'),
    });
    // a string is greater than any number; null is smaller
    expect(up({ _id: 1, v: 5 }, { $max: { v: 'x' } }).v).toBe('x');
    expect(up({ _id: 1, v: 5 }, { $min: { v: null } }).v).toBeNull();
    expect(up({ _id: 1 }, { $max: { v: 1 } }).v).toBe(1);
  });

  it('$rename moves a value (appended at the end) and ignores missing sources', () => {
    expect(up({ _id: 1, a: { b: 1, c: 2 }, z: 0 }, { $rename: { 'a.b': 'moved', nope: 'x' } })).toEqual({
      _id: 1,
      a: { c: 2 },
      z: 0,
      moved: 1,
    });
  });

  it('$currentDate sets a Date or a Timestamp', () => {
    const before = Date.now();
    const doc = up({ _id: 1 }, { $currentDate: { at: true, ts: { $type: 'timestamp' }, d: { $type: 'date' } } });
    expect(doc.at).toBeInstanceOf(Date);
    expect((doc.at as Date).getTime()).toBeGreaterThanOrEqual(before);
    expect(doc.d).toBeInstanceOf(Date);
    expect(doc.ts).toBeInstanceOf(Timestamp);
  });

  it('$bit applies and/or/xor', () => {
    expect(up({ _id: 1, f: 0b1100 }, { $bit: { f: { and: 0b1010 } } }).f).toBe(0b1000);
    expect(up({ _id: 1, f: 0b1100 }, { $bit: { f: { or: 0b0011, xor: 0b0001 } } }).f).toBe(0b1110);
  });

  it('$setOnInsert only applies to an inserting upsert', () => {
    expect(up({ _id: 1, a: 1 }, { $set: { a: 2 }, $setOnInsert: { created: true } })).toEqual({ _id: 1, a: 2 });
    expect(up({ _id: 1 }, { $set: { a: 2 }, $setOnInsert: { created: true } }, { isUpsertInsert: true })).toEqual({
      _id: 1,
      a: 2,
      created: true,
    });
  });
});

describe('array operators', () => {
  it('$push appends; $each/$position/$sort/$slice combine like mongod', () => {
    expect(up({ _id: 1, a: [1] }, { $push: { a: 2, fresh: 'x' } })).toEqual({ _id: 1, a: [1, 2], fresh: ['x'] });
    expect(up({ _id: 1, a: [1, 2] }, { $push: { a: { $each: [9, 8], $position: 1 } } }).a).toEqual([1, 9, 8, 2]);
    expect(up({ _id: 1, a: [1, 2] }, { $push: { a: { $each: [0], $position: -1 } } }).a).toEqual([1, 0, 2]);
    expect(up({ _id: 1, a: [5, 1] }, { $push: { a: { $each: [3, 9], $sort: -1, $slice: 3 } } }).a).toEqual([9, 5, 3]);
    expect(up({ _id: 1, a: [5, 1] }, { $push: { a: { $each: [3], $slice: -2 } } }).a).toEqual([1, 3]);
    const scores = up({ _id: 1, s: [{ n: 'a', v: 3 }, { n: 'b', v: 9 }] }, { $push: { s: { $each: [{ n: 'c', v: 5 }], $sort: { v: -1 }, $slice: 2 } } });
    expect(scores.s).toEqual([{ n: 'b', v: 9 }, { n: 'c', v: 5 }]);
  });

  it('$addToSet adds only absent values (BSON equality)', () => {
    const id = ObjectId.createFromHexString('0000000000000000000000aa');
    const doc = { _id: 1, ids: [id], nums: [1] };
    const out = up(doc, {
      $addToSet: { ids: ObjectId.createFromHexString(id.toHexString()), nums: { $each: [Decimal128.fromString('1'), 2, 2] } },
    });
    expect(out.ids).toEqual([id]);
    expect(out.nums).toEqual([1, 2]);
    expect(up({ _id: 1 }, { $addToSet: { t: { $each: ['a', 'a', 'b'] } } }).t).toEqual(['a', 'b']);
  });

  it('$pull removes by value, by condition and by subdocument query; $pullAll by values', () => {
    expect(up({ _id: 1, a: [1, 2, 3, 2] }, { $pull: { a: 2 } }).a).toEqual([1, 3]);
    expect(up({ _id: 1, a: [1, 5, 8, 3] }, { $pull: { a: { $gte: 5 } } }).a).toEqual([1, 3]);
    expect(up({ _id: 1, a: ['apple', 'kiwi', 'avocado'] }, { $pull: { a: /^a/ } }).a).toEqual(['kiwi']);
    const results = [{ item: 'A', score: 5 }, { item: 'B', score: 8, comment: 'extra fields still match' }];
    expect(up({ _id: 1, results }, { $pull: { results: { score: 8, item: 'B' } } }).results).toEqual([{ item: 'A', score: 5 }]);
    expect(up({ _id: 1, a: [0, 5, 5, 1, 'x'] }, { $pullAll: { a: [5, 'x'] } }).a).toEqual([0, 1]);
  });

  it('$pop removes the last (1) or first (-1) element', () => {
    expect(up({ _id: 1, a: [1, 2, 3] }, { $pop: { a: 1 } }).a).toEqual([1, 2]);
    expect(up({ _id: 1, a: [1, 2, 3] }, { $pop: { a: -1 } }).a).toEqual([2, 3]);
    expect(applyUpdate({ _id: 1 }, { $pop: { a: 1 } }).modified).toBe(false);
  });
});

describe('positional updates', () => {
  const doc = { _id: 1, grades: [{ g: 80, n: 1 }, { g: 85, n: 2 }, { g: 90, n: 3 }], tags: ['a', 'b'] };

  it('$ updates the first element matched by the query', () => {
    expect(up(doc, { $set: { 'grades.$.n': 0 } }, { query: { 'grades.g': { $gte: 85 } } }).grades).toEqual([
      { g: 80, n: 1 },
      { g: 85, n: 0 },
      { g: 90, n: 3 },
    ]);
    expect(up(doc, { $set: { 'tags.$': 'B' } }, { query: { tags: 'b' } }).tags).toEqual(['a', 'B']);
    const e = errorOf(() => up(doc, { $set: { 'tags.$': 'x' } }, { query: { _id: 1 } }));
    expect(e.code).toBe(2);
    expect(e.message).toBe('The positional operator did not find the match needed from the query.');
  });

  it('$[] updates every element', () => {
    expect(up(doc, { $inc: { 'grades.$[].g': 1 } }).grades).toEqual([
      { g: 81, n: 1 },
      { g: 86, n: 2 },
      { g: 91, n: 3 },
    ]);
  });

  it('$[ident] updates the elements matching arrayFilters (filters see the pre-image)', () => {
    const out = up(doc, { $set: { 'grades.$[hi].n': 99, 'grades.$[hi].g': 0 } }, { arrayFilters: [{ 'hi.g': { $gte: 85 } }] });
    expect(out.grades).toEqual([{ g: 80, n: 1 }, { g: 0, n: 99 }, { g: 0, n: 99 }]);
    const nested = { _id: 2, rows: [{ cells: [1, 5, 9] }, { cells: [6] }] };
    expect(up(nested, { $mul: { 'rows.$[].cells.$[big]': 10 } }, { arrayFilters: [{ big: { $gt: 4 } }] }).rows).toEqual([
      { cells: [1, 50, 90] },
      { cells: [60] },
    ]);
  });

  it('array filter errors', () => {
    expect(errorOf(() => up(doc, { $set: { 'grades.$[x].n': 1 } })).message).toBe(
      "No array filter found for identifier 'x' in path 'grades.$[x].n'",
    );
    expect(errorOf(() => up(doc, { $set: { a: 1 } }, { arrayFilters: [{ 'y.g': 1 }] })).code).toBe(9);
    expect(errorOf(() => up({ _id: 1, a: 5 }, { $set: { 'a.$[]': 1 } })).code).toBe(2);
  });
});

describe('replacement and pipeline updates', () => {
  it('a replacement keeps the original _id first and drops everything else', () => {
    expect(up({ _id: 1, a: 1, b: 2 }, { c: 3, _id: 1 })).toEqual({ _id: 1, c: 3 });
    expect(Object.keys(up({ _id: 1, a: 1 }, { c: 3 }))).toEqual(['_id', 'c']);
    expect(up({ _id: 1, a: 1 }, {})).toEqual({ _id: 1 }); // an empty update is an empty replacement
    expect(updateKind({ c: 1 })).toBe('replacement');
    expect(updateKind({ $set: { c: 1 } })).toBe('operator');
    expect(updateKind([{ $set: { c: 1 } }])).toBe('pipeline');
  });

  it('a replacement may not contain $-prefixed top-level fields or change _id', () => {
    expect(errorOf(() => up({ _id: 1 }, { a: 1, $set: { b: 1 } })).code).toBe(52);
    const e = errorOf(() => up({ _id: 1 }, { _id: 2, a: 1 }));
    expect(e.code).toBe(66);
  });

  it('pipeline updates evaluate aggregation expressions', () => {
    const out = up({ _id: 1, first: 'Ada', last: 'Lovelace', tmp: 1 }, [
      { $set: { full: { $concat: ['$first', ' ', '$last'] }, 'meta.len': { $strLenCP: '$first' } } },
      { $unset: ['tmp', 'first'] },
    ]);
    expect(out).toEqual({ _id: 1, last: 'Lovelace', full: 'Ada Lovelace', meta: { len: 3 } });
    expect(up({ _id: 1, a: { b: 2 } }, [{ $replaceWith: '$a' }])).toEqual({ _id: 1, b: 2 });
    expect(errorOf(() => up({ _id: 1 }, [{ $match: {} }])).code).toBe(72);
  });
});

describe('modified flag and immutability', () => {
  it('reports no modification (and returns the input) when nothing changes', () => {
    const doc = deepFreeze({ _id: 1, a: 1, tags: ['x'] });
    for (const u of [{ $set: { a: 1 } }, { $addToSet: { tags: 'x' } }, { $unset: { zz: 1 } }, { $max: { a: 0 } }, { _id: 1, a: 1, tags: ['x'] }]) {
      const r = applyUpdate(doc, u);
      expect(r.modified).toBe(false);
      expect(r.doc).toBe(doc);
    }
    expect(applyUpdate(doc, { $set: { a: 2 } }).modified).toBe(true);
  });

  it('never mutates the input document (it is frozen in every test of this file)', () => {
    const doc = { _id: 1, nested: { list: [{ v: 1 }] } };
    const out = up(doc, { $set: { 'nested.list.0.v': 2 }, $push: { 'nested.more': 1 } });
    expect(doc.nested.list[0].v).toBe(1);
    expect(out.nested).toEqual({ list: [{ v: 2 }], more: [1] });
  });
});

describe('update errors', () => {
  it('modifying _id is ImmutableField (66), setting it to the same value is fine', () => {
    const e = errorOf(() => up({ _id: 1 }, { $set: { _id: 2 } }));
    expect(e.code).toBe(66);
    expect(e.message).toBe("Performing an update on the path '_id' would modify the immutable field '_id'");
    expect(applyUpdate({ _id: 1, a: 1 }, { $set: { _id: 1, a: 2 } }).doc).toEqual({ _id: 1, a: 2 });
    expect(errorOf(() => up({ _id: 1 }, { $unset: { _id: 1 } })).code).toBe(66);
  });

  it('conflicting paths are code 40', () => {
    const e = errorOf(() => up({ _id: 1 }, { $set: { a: 1 }, $inc: { 'a.b': 1 } }));
    expect(e.code).toBe(40);
    expect(e.message).toBe("Updating the path 'a.b' would create a conflict at 'a'");
    expect(errorOf(() => up({ _id: 1 }, { $set: { 'x.y': 1 }, $unset: { x: 1 } })).message).toBe(
      "Updating the path 'x' would create a conflict at 'x'",
    );
    expect(errorOf(() => up({ _id: 1 }, { $set: { a: 1 }, $setOnInsert: { a: 2 } })).code).toBe(40);
  });

  it('unknown modifiers and empty modifiers are FailedToParse (9)', () => {
    const e = errorOf(() => up({ _id: 1 }, { $foo: { a: 1 } }));
    expect(e.code).toBe(9);
    expect(e.message).toMatch(/^Unknown modifier: \$foo/);
    expect(errorOf(() => up({ _id: 1 }, { $set: {} })).message).toBe("'$set' is empty. You must specify a field like so: {$set: {<field>: ...}}");
    expect(errorOf(() => up({ _id: 1 }, { $set: 5 })).code).toBe(9);
    expect(errorOf(() => up({ _id: 1 }, { $set: { a: 1 }, b: 2 })).code).toBe(9);
  });

  it('type errors use mongod codes', () => {
    const inc = errorOf(() => up({ _id: 1, a: 'x' }, { $inc: { a: 1 } }));
    expect(inc.code).toBe(14);
    expect(inc.message).toBe("Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'a' of non-numeric type string");
    expect(errorOf(() => up({ _id: 1 }, { $inc: { a: 'x' } })).code).toBe(14);
    expect(errorOf(() => up({ _id: 1, a: 5 }, { $push: { a: 1 } })).message).toBe(
      "The field 'a' must be an array but is of type int in document {_id: 1}",
    );
    expect(errorOf(() => up({ _id: 1, a: 5 }, { $set: { 'a.b': 1 } })).code).toBe(28);
    expect(errorOf(() => up({ _id: 1, a: [1] }, { $pop: { a: 2 } })).code).toBe(9);
    expect(errorOf(() => up({ _id: 1, a: 'x' }, { $pull: { a: 1 } })).code).toBe(2);
    expect(errorOf(() => up({ _id: 1 }, { $rename: { a: 'a' } })).code).toBe(2);
  });
});

describe('upsertSeed', () => {
  it('takes equality fields, expands dotted paths and drops operators', () => {
    const id = new ObjectId();
    expect(
      upsertSeed({
        'profile.name': 'Ada',
        age: { $gt: 20 },
        kind: { $eq: 'user' },
        role: { $in: ['admin'] },
        team: { $in: ['a', 'b'] },
        name: /^A/,
        _id: id,
        $and: [{ 'profile.lang': 'en' }, { score: { $lt: 5 } }],
        $or: [{ active: true }],
      }),
    ).toEqual({ _id: id, profile: { name: 'Ada', lang: 'en' }, kind: 'user', role: 'admin', active: true });
    expect(upsertSeed({ $or: [{ a: 1 }, { b: 2 }] })).toEqual({});
  });

  it('upsert = seed + update with $setOnInsert', () => {
    const seed = upsertSeed({ sku: 'abc', qty: { $gte: 0 } });
    const { doc } = applyUpdate(seed, { $inc: { qty: 5 }, $setOnInsert: { createdBy: 'seed' } }, {
      isUpsertInsert: true,
      query: { sku: 'abc' },
    });
    expect(doc).toEqual({ sku: 'abc', qty: 5, createdBy: 'seed' });
    expect(applyUpdate(upsertSeed({ _id: 9, a: 1 }), { b: 2 }, { isUpsertInsert: true }).doc).toEqual({ _id: 9, b: 2 });
  });

  it('rejects ambiguous equality paths', () => {
    expect(errorOf(() => upsertSeed({ a: 1, 'a.b': 2 })).code).toBe(54);
  });
});
