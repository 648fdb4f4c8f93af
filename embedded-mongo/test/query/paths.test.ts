import { Decimal128 } from 'bson';
import { describe, expect, it } from 'vitest';
import { getPath, indexValues } from '../../src/query/paths.js';

describe('indexValues', () => {
  it('indexes a scalar once and a missing field as null with missing: true', () => {
    expect(indexValues({ a: 5 }, 'a')).toEqual({ values: [5], missing: false, multikey: false, found: [5] });
    expect(indexValues({ b: 1 }, 'a')).toEqual({ values: [null], missing: true, multikey: false, found: [] });
    expect(indexValues({ a: null }, 'a')).toMatchObject({ values: [null], missing: false });
    expect(indexValues({ a: 5 }, 'a.b')).toMatchObject({ values: [null], missing: true });
  });

  it('is multikey over arrays, one key per distinct element (BSON equality)', () => {
    const r = indexValues({ tags: ['x', 'y', 'x', 1, Decimal128.fromString('1.0')] }, 'tags');
    expect(r.values).toEqual(['x', 'y', 1]);
    expect(r.multikey).toBe(true);
  });

  it('recurses through arrays of subdocuments; elements lacking the field index as null', () => {
    const doc = { a: [{ b: 1 }, { b: [2, 3] }, { c: 1 }, 7] };
    const r = indexValues(doc, 'a.b');
    expect(r.values).toEqual([1, 2, 3, null]);
    expect(r.found).toEqual([1, 2, 3]);
    expect(r.missing).toBe(false);
    expect(r.multikey).toBe(true);
  });

  it('an empty array indexes as undefined; nested arrays are kept whole', () => {
    expect(indexValues({ a: [] }, 'a')).toMatchObject({ values: [undefined], missing: false, multikey: true });
    expect(indexValues({ a: [[1, 2], 3] }, 'a').values).toEqual([[1, 2], 3]);
  });

  it('numeric path components index into arrays', () => {
    expect(indexValues({ a: [{ b: 1 }, { b: 2 }] }, 'a.1.b')).toMatchObject({ values: [2], multikey: false });
  });
});

describe('getPath', () => {
  it('navigates objects and numeric array positions only', () => {
    const doc = { a: { b: [10, { c: 'x' }] } };
    expect(getPath(doc, 'a.b.1.c')).toBe('x');
    expect(getPath(doc, 'a.b.0')).toBe(10);
    expect(getPath(doc, 'a.b.c')).toBeUndefined();
    expect(getPath(doc, 'a.z')).toBeUndefined();
  });
});
