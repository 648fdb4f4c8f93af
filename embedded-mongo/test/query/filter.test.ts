import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/query/filter.js';
import type { Doc } from '../../src/types.js';
import { errorOf } from '../helpers/assertions.js';

const matches = (filter: Doc, doc: Doc) => compileFilter(filter)(doc);
const select = (docs: Doc[], filter: Doc) => docs.filter(compileFilter(filter)).map((d) => d._id);

const oidA = ObjectId.createFromHexString('000000000000000000000001');
const oidB = ObjectId.createFromHexString('000000000000000000000002');
const mixed: Doc[] = [
  { _id: 'int', v: 5 },
  { _id: 'double', v: 5.5 },
  { _id: 'decimal', v: Decimal128.fromString('7.25') },
  { _id: 'long', v: Long.fromString('9007199254740993') },
  { _id: 'string', v: '6' },
  { _id: 'date', v: new Date('2024-01-01T00:00:00Z') },
  { _id: 'oid', v: oidB },
  { _id: 'bool', v: true },
  { _id: 'null', v: null },
  { _id: 'missing' },
  { _id: 'array', v: [1, 10] },
  { _id: 'minkey', v: new MinKey() },
  { _id: 'maxkey', v: new MaxKey() },
];

describe('comparison operators: type bracketing', () => {
  it('$gt on a number only matches numbers (of any width), including array elements', () => {
    expect(select(mixed, { v: { $gt: 5 } })).toEqual(['double', 'decimal', 'long', 'array']);
  });

  it('$lt on a Date only matches Dates, $gte on an ObjectId only ObjectIds', () => {
    expect(select(mixed, { v: { $lt: new Date('2030-01-01') } })).toEqual(['date']);
    expect(select(mixed, { v: { $gte: oidA } })).toEqual(['oid']);
    expect(select(mixed, { v: { $lt: oidA } })).toEqual([]);
  });

  it('$gt: MinKey matches every value except MinKey, $lt: MaxKey every value except MaxKey', () => {
    const all = mixed.map((d) => d._id);
    expect(select(mixed, { v: { $gt: new MinKey() } })).toEqual(all.filter((id) => id !== 'minkey'));
    expect(select(mixed, { v: { $lt: new MaxKey() } })).toEqual(all.filter((id) => id !== 'maxkey'));
    expect(select(mixed, { v: { $lte: new MinKey() } })).toEqual(['minkey']);
  });

  it('strings compare as strings, never as numbers', () => {
    expect(select(mixed, { v: { $gte: '5' } })).toEqual(['string']);
  });

  it('numbers are equal across int, double, long and Decimal128', () => {
    const docs = [{ _id: 1, n: 1 }, { _id: 2, n: Decimal128.fromString('1.0') }, { _id: 3, n: Long.fromNumber(1) }, { _id: 4, n: '1' }];
    expect(select(docs, { n: 1 })).toEqual([1, 2, 3]);
    expect(select(docs, { n: Decimal128.fromString('1') })).toEqual([1, 2, 3]);
    expect(select(docs, { n: { $in: [1.0] } })).toEqual([1, 2, 3]);
    expect(select(docs, { n: { $ne: 1 } })).toEqual([4]);
  });

  it('Decimal128 ordering is numeric, not lexicographic', () => {
    const docs = [{ _id: 'a', d: Decimal128.fromString('9.5') }, { _id: 'b', d: Decimal128.fromString('10.25') }];
    expect(select(docs, { d: { $gt: Decimal128.fromString('9.9') } })).toEqual(['b']);
    expect(select(docs, { d: { $lt: 10 } })).toEqual(['a']);
  });

  it('ObjectId and Date equality compare by value, not identity', () => {
    const doc = { _id: ObjectId.createFromHexString(oidA.toHexString()), at: new Date(1000) };
    expect(matches({ _id: oidA, at: new Date(1000) }, doc)).toBe(true);
    expect(matches({ _id: oidB }, doc)).toBe(false);
    expect(matches({ _id: { $in: [oidB, oidA] } }, doc)).toBe(true);
  });

  it('NaN equals NaN but is neither greater nor less than any number', () => {
    const docs = [{ _id: 'nan', x: Number.NaN }, { _id: 'one', x: 1 }];
    expect(select(docs, { x: Number.NaN })).toEqual(['nan']);
    expect(select(docs, { x: { $lt: 5 } })).toEqual(['one']);
    expect(select(docs, { x: { $gte: Number.NaN } })).toEqual(['nan']);
  });

  it('Timestamps and BinData compare within their own type', () => {
    const docs = [
      { _id: 1, t: new Timestamp({ t: 10, i: 1 }), b: new Binary(Buffer.from([1, 2])) },
      { _id: 2, t: new Timestamp({ t: 20, i: 1 }), b: new Binary(Buffer.from([1, 3])) },
    ];
    expect(select(docs, { t: { $gt: new Timestamp({ t: 15, i: 0 }) } })).toEqual([2]);
    expect(select(docs, { b: new Binary(Buffer.from([1, 3])) })).toEqual([2]);
  });
});

describe('arrays', () => {
  const docs: Doc[] = [
    { _id: 1, tags: ['red', 'blue'], scores: [70, 95] },
    { _id: 2, tags: ['green'], scores: [80] },
    { _id: 3, tags: [['red', 'blue']], scores: [] },
    { _id: 4, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 7 }] },
    { _id: 5, items: [{ sku: 'a', qty: 9 }] },
  ];

  it('an array field matches when any element matches, or the whole array equals', () => {
    expect(select(docs, { tags: 'red' })).toEqual([1]);
    expect(select(docs, { tags: ['red', 'blue'] })).toEqual([1, 3]);
    expect(select(docs, { scores: { $gt: 90 } })).toEqual([1]);
    expect(select(docs, { scores: [] })).toEqual([3]);
  });

  it('range conditions on arrays may be satisfied by different elements; $elemMatch needs one', () => {
    expect(select(docs, { scores: { $gt: 75, $lt: 85 } })).toEqual([1, 2]);
    expect(select(docs, { scores: { $elemMatch: { $gt: 75, $lt: 85 } } })).toEqual([2]);
  });

  it('dotted paths reach into arrays of subdocuments', () => {
    expect(select(docs, { 'items.sku': 'b' })).toEqual([4]);
    expect(select(docs, { 'items.qty': { $gt: 5 }, 'items.sku': 'a' })).toEqual([4, 5]);
    expect(select(docs, { items: { $elemMatch: { sku: 'a', qty: { $gt: 5 } } } })).toEqual([5]);
    expect(select(docs, { 'items.1.qty': 7 })).toEqual([4]);
    expect(select(docs, { 'scores.0': 70 })).toEqual([1]);
  });

  it('$all, $size and $in over arrays', () => {
    expect(select(docs, { tags: { $all: ['blue', 'red'] } })).toEqual([1]);
    expect(select(docs, { scores: { $size: 2 } })).toEqual([1]);
    expect(select(docs, { tags: { $in: ['green', 'blue'] } })).toEqual([1, 2]);
    expect(select(docs, { tags: { $nin: ['green', 'blue'] } })).toEqual([3, 4, 5]);
    expect(select(docs, { items: { $all: [{ $elemMatch: { qty: 1 } }, { $elemMatch: { qty: 7 } }] } })).toEqual([4]);
  });
});

describe('null and missing', () => {
  const docs: Doc[] = [
    { _id: 'null', a: null },
    { _id: 'missing' },
    { _id: 'value', a: 1 },
    { _id: 'arrNull', a: [1, null] },
    { _id: 'sub', a: { b: null } },
    { _id: 'subArr', a: [{ b: 1 }, { c: 1 }] },
    { _id: 'scalars', a: [1, 2] },
  ];

  it('null matches null, missing, and arrays containing null', () => {
    expect(select(docs, { a: null })).toEqual(['null', 'missing', 'arrNull']);
    expect(select(docs, { a: { $ne: null } })).toEqual(['value', 'sub', 'subArr', 'scalars']);
    expect(select(docs, { a: { $in: [null, 1] } })).toEqual(['null', 'missing', 'value', 'arrNull', 'scalars']);
  });

  it('dotted null matches when the path is missing in the object or in an array element', () => {
    expect(select(docs, { 'a.b': null })).toEqual(['null', 'missing', 'value', 'sub', 'subArr']);
  });

  it('$exists looks at presence, not at null', () => {
    expect(select(docs, { a: { $exists: false } })).toEqual(['missing']);
    expect(select(docs, { 'a.b': { $exists: true } })).toEqual(['sub', 'subArr']);
  });

  it('$gte/$lte null match null and missing, $gt/$lt null match nothing', () => {
    expect(select(docs, { a: { $gte: null } })).toEqual(['null', 'missing', 'arrNull']);
    expect(select(docs, { a: { $gt: null } })).toEqual([]);
  });
});

describe('other operators', () => {
  it('regex: literal, $regex/$options, inside $in, negated', () => {
    const docs = [{ _id: 1, s: 'Alpha' }, { _id: 2, s: 'beta' }, { _id: 3, s: 42 }];
    expect(select(docs, { s: /^a/i })).toEqual([1]);
    expect(select(docs, { s: { $regex: '^B', $options: 'i' } })).toEqual([2]);
    expect(select(docs, { s: { $in: [/^al/i, 42] } })).toEqual([1, 3]);
    expect(select(docs, { s: { $not: /^a/i } })).toEqual([2, 3]);
  });

  it('$type, $mod, $not, $nor, $or, $and', () => {
    const docs = [{ _id: 1, v: 4 }, { _id: 2, v: 'x' }, { _id: 3, v: oidA }, { _id: 4, v: 2.5 }];
    expect(select(docs, { v: { $type: 'objectId' } })).toEqual([3]);
    expect(select(docs, { v: { $type: 'number' } })).toEqual([1, 4]);
    expect(select(docs, { v: { $type: ['string', 'double'] } })).toEqual([2, 4]);
    // mongod truncates a double dividend: 2.5 → 2
    expect(select(docs, { v: { $mod: [2, 0] } })).toEqual([1, 4]);
    expect(select(docs, { v: { $not: { $gt: 3 } } })).toEqual([2, 3, 4]);
    expect(select(docs, { $or: [{ v: 4 }, { v: 'x' }] })).toEqual([1, 2]);
    expect(select(docs, { $nor: [{ v: 4 }, { v: 'x' }] })).toEqual([3, 4]);
    expect(select(docs, { $and: [{ v: { $type: 'number' } }, { v: { $lt: 3 } }] })).toEqual([4]);
  });

  it('$expr compares with BSON order and no type bracketing', () => {
    const docs = [
      { _id: 1, spent: 120, budget: 100 },
      { _id: 2, spent: 80, budget: Decimal128.fromString('100') },
      { _id: 3, spent: 'lots', budget: 100 },
      { _id: 4, owner: oidA, creator: ObjectId.createFromHexString(oidA.toHexString()) },
    ];
    expect(select(docs, { $expr: { $gt: ['$spent', '$budget'] } })).toEqual([1, 3]);
    expect(select(docs, { $expr: { $eq: ['$owner', '$creator'] } })).toEqual([1, 2, 3, 4]);
    expect(select(docs, { $expr: { $and: [{ $eq: ['$owner', '$creator'] }, { $gt: ['$owner', null] }] } })).toEqual([4]);
    expect(select(docs, { $expr: { $ne: ['$owner', null] } })).toEqual([1, 2, 3, 4]);
    expect(select(docs, { $expr: { $lt: ['$budget', 101] }, budget: { $exists: true } })).toEqual([1, 2, 3]);
  });

  it('$expr sees variables and treats missing below null', () => {
    const test = compileFilter({ $expr: { $eq: ['$a', '$$target'] } }, { variables: { target: 3 } });
    expect(test({ a: 3 })).toBe(true);
    expect(test({ a: 4 })).toBe(false);
    expect(matches({ $expr: { $eq: ['$missing', null] } }, {})).toBe(false);
    expect(matches({ $expr: { $lt: ['$missing', null] } }, {})).toBe(true);
  });

  it('$comment is ignored', () => {
    expect(matches({ a: 1, $comment: 'why' }, { a: 1 })).toBe(true);
  });
});

describe('errors', () => {
  it('unknown operators are BadValue with mongod messages', () => {
    let e = errorOf(() => compileFilter({ a: { $foo: 1 } }));
    expect(e.code).toBe(2);
    expect(e.message).toBe('unknown operator: $foo');
    e = errorOf(() => compileFilter({ $foo: [{ a: 1 }] }));
    expect(e.code).toBe(2);
    expect(e.message).toMatch(/^unknown top level operator: \$foo/);
    e = errorOf(() => compileFilter({ a: { $gt: 1, b: 2 } }));
    expect(e.message).toBe('unknown operator: b');
  });

  it('malformed operator arguments are BadValue', () => {
    expect(errorOf(() => compileFilter({ a: { $in: 5 } })).message).toBe('$in needs an array');
    expect(errorOf(() => compileFilter({ $or: [] })).message).toBe('$or must be a nonempty array');
    expect(errorOf(() => compileFilter({ a: { $elemMatch: 3 } })).message).toBe('$elemMatch needs an Object');
    expect(errorOf(() => compileFilter({ a: { $mod: [0, 1] } })).message).toBe('divisor cannot be 0');
    expect(errorOf(() => compileFilter({ a: { $type: 'nope' } })).message).toBe('Unknown type name alias: nope');
    expect(errorOf(() => compileFilter({ a: { $regex: '(' } })).code).toBe(51091);
  });

  it('errors raised while evaluating $expr are MongoCommandErrors, not mingo errors', () => {
    const test = compileFilter({ $expr: { $eq: ['$a'] } });
    const e = errorOf(() => test({ a: 1 }));
    expect(e.code).toBe(16020);
    expect(errorOf(() => compileFilter({ $expr: { $nope: 1 } })({})).message).toBe("Unrecognized expression '$nope'");
  });

  it('server-side JavaScript and unsupported operators are NotImplemented', () => {
    expect(errorOf(() => compileFilter({ $where: 'this.a > 1' })).code).toBe(238);
    expect(errorOf(() => compileFilter({ $expr: { $function: { body: 'x', args: [], lang: 'js' } } })({})).code).toBe(238);
    expect(errorOf(() => compileFilter({ loc: { $near: [0, 0] } })).code).toBe(238);
    expect(errorOf(() => compileFilter({ $text: { $search: 'x' } })).code).toBe(238);
  });
});
