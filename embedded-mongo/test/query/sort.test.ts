import { Binary, Decimal128, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { describe, expect, it } from 'vitest';
import { MongoCommandError } from '../../src/errors.js';
import { compileSort, sortDocuments } from '../../src/query/sort.js';
import type { Doc } from '../../src/types.js';

const ids = (docs: Doc[]) => docs.map((d) => d._id);

// One document per BSON type (and per interesting number), in insertion order.
const collection: Doc[] = [
  { _id: 'regex', a: /x/ },
  { _id: 'true', a: true },
  { _id: 'string', a: 'abc' },
  { _id: 'maxkey', a: new MaxKey() },
  { _id: 'long', a: Long.fromString('1152921504606846976') },
  { _id: 'null', a: null },
  { _id: 'object', a: { x: 1 } },
  { _id: 'date', a: new Date('2020-01-01T00:00:00Z') },
  { _id: 'decimal', a: Decimal128.fromString('1.5') },
  { _id: 'missing' },
  { _id: 'array', a: [3, 100] },
  { _id: 'nan', a: Number.NaN },
  { _id: 'objectId', a: ObjectId.createFromHexString('65a000000000000000000000') },
  { _id: 'emptyArray', a: [] },
  { _id: 'int', a: 1 },
  { _id: 'timestamp', a: new Timestamp({ t: 1, i: 1 }) },
  { _id: 'false', a: false },
  { _id: 'binData', a: new Binary(Buffer.from('hi')) },
  { _id: 'nestedArray', a: [[1]] },
  { _id: 'double', a: 2.5 },
  { _id: 'minkey', a: new MinKey() },
  { _id: 'negInfinity', a: Number.NEGATIVE_INFINITY },
];

describe('sortDocuments: mixed BSON types', () => {
  it('ascending follows MongoDB canonical order; arrays sort by their smallest element', () => {
    expect(ids(sortDocuments(collection, { a: 1 }))).toEqual([
      'minkey',
      'emptyArray', // an empty array's sort key sorts before null
      'null',
      'missing', // null and missing are equal: insertion order is kept (stable sort)
      'nan', // NaN is the smallest number
      'negInfinity',
      'int', // 1
      'decimal', // 1.5
      'double', // 2.5
      'array', // smallest element 3
      'long', // 2^60
      'string',
      'object',
      'nestedArray', // its element [1] is an array
      'binData',
      'objectId',
      'false',
      'true',
      'date',
      'timestamp',
      'regex',
      'maxkey',
    ]);
  });

  it('descending reverses the order; arrays sort by their largest element', () => {
    expect(ids(sortDocuments(collection, { a: -1 }))).toEqual([
      'maxkey',
      'regex',
      'timestamp',
      'date',
      'true',
      'false',
      'objectId',
      'binData',
      'nestedArray',
      'object',
      'string',
      'long', // 2^60
      'array', // largest element 100
      'double',
      'decimal',
      'int',
      'negInfinity',
      'nan',
      'null',
      'missing',
      'emptyArray',
      'minkey',
    ]);
  });

  it('does not touch the input array and is stable', () => {
    const docs = [{ _id: 1, k: 1 }, { _id: 2, k: 0 }, { _id: 3, k: 1 }, { _id: 4, k: 0 }];
    const before = ids(docs);
    expect(ids(sortDocuments(docs, { k: 1 }))).toEqual([2, 4, 1, 3]);
    expect(ids(sortDocuments(docs, { k: -1 }))).toEqual([1, 3, 2, 4]);
    expect(ids(docs)).toEqual(before);
  });
});

describe('sortDocuments: keys and paths', () => {
  it('compound keys with mixed directions', () => {
    const docs = [
      { _id: 1, g: 'b', n: 1 },
      { _id: 2, g: 'a', n: 1 },
      { _id: 3, g: 'b', n: 2 },
      { _id: 4, g: 'a', n: 3 },
    ];
    expect(ids(sortDocuments(docs, { g: 1, n: -1 }))).toEqual([4, 2, 3, 1]);
  });

  it('dotted paths go through arrays of subdocuments (min ascending, max descending)', () => {
    const docs = [
      { _id: 'x', items: [{ price: 5 }, { price: 50 }] },
      { _id: 'y', items: [{ price: 10 }, { price: 20 }] },
      { _id: 'z', items: { price: 7 } },
    ];
    expect(ids(sortDocuments(docs, { 'items.price': 1 }))).toEqual(['x', 'z', 'y']);
    expect(ids(sortDocuments(docs, { 'items.price': -1 }))).toEqual(['x', 'y', 'z']);
  });

  it('ObjectIds and Dates sort by value', () => {
    const docs = [
      { _id: ObjectId.createFromHexString('000000000000000000000003') },
      { _id: ObjectId.createFromHexString('000000000000000000000001') },
      { _id: ObjectId.createFromHexString('000000000000000000000002') },
    ];
    expect(sortDocuments(docs, { _id: 1 }).map((d) => (d._id as ObjectId).toHexString().slice(-1))).toEqual(['1', '2', '3']);
    const dated = [{ _id: 1, at: new Date(3000) }, { _id: 2, at: new Date(1000) }];
    expect(ids(sortDocuments(dated, { at: 1 }))).toEqual([2, 1]);
  });

  it('compileSort returns an equivalent comparator', () => {
    const docs = [{ _id: 1, v: 'b' }, { _id: 2, v: 3 }, { _id: 3 }];
    expect(ids(docs.slice().sort(compileSort({ v: 1 })))).toEqual([3, 2, 1]);
  });

  it('rejects invalid specs like mongod and $meta as not implemented', () => {
    const err = (sort: Doc) => {
      try {
        sortDocuments([], sort);
      } catch (e) {
        return (e as MongoCommandError).code;
      }
      return undefined;
    };
    expect(err({ a: 2 })).toBe(15975);
    expect(err({ a: 'asc' })).toBe(15975);
    expect(err({ score: { $meta: 'textScore' } })).toBe(238);
  });
});
