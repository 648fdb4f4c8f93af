import { ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { MongoCommandError } from '../../src/errors.js';
import { compileProjection, projectDocument } from '../../src/query/projection.js';
import type { Doc } from '../../src/types.js';

const codeOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MongoCommandError);
    return (e as MongoCommandError).code;
  }
  return undefined;
};

const order: Doc = {
  _id: 7,
  customer: { name: 'Ada', tier: 'gold', address: { city: 'Oslo', zip: '0150' } },
  items: [{ sku: 'a', qty: 2, price: 10 }, { sku: 'b', qty: 1, price: 25 }, 'gift-wrap'],
  status: 'open',
  notes: ['n1', 'n2', 'n3', 'n4'],
};

describe('inclusion and exclusion', () => {
  it('includes _id by default and keeps document field order', () => {
    expect(projectDocument(order, { status: 1, customer: 1 })).toEqual({ _id: 7, customer: order.customer, status: 'open' });
    expect(Object.keys(projectDocument(order, { status: 1, _id: 1, customer: 1 }))).toEqual(['_id', 'customer', 'status']);
    expect(projectDocument(order, { status: 1, _id: 0 })).toEqual({ status: 'open' });
    expect(projectDocument(order, { _id: 1 })).toEqual({ _id: 7 });
  });

  it('dotted and nested inclusion through subdocuments and arrays of subdocuments', () => {
    expect(projectDocument(order, { 'customer.address.city': 1, 'items.sku': 1, _id: 0 })).toEqual({
      customer: { address: { city: 'Oslo' } },
      items: [{ sku: 'a' }, { sku: 'b' }], // non-document elements are dropped
    });
    expect(projectDocument(order, { customer: { name: 1 }, _id: 0 })).toEqual({ customer: { name: 'Ada' } });
  });

  it('exclusion removes fields (also inside arrays) and keeps the rest', () => {
    expect(projectDocument(order, { 'customer.address': 0, 'items.price': 0, notes: 0, _id: 0 })).toEqual({
      customer: { name: 'Ada', tier: 'gold' },
      items: [{ sku: 'a', qty: 2 }, { sku: 'b', qty: 1 }, 'gift-wrap'],
      status: 'open',
    });
    const { _id, ...withoutId } = order;
    expect(projectDocument(order, { _id: 0 })).toEqual(withoutId);
  });

  it('never modifies the input document', () => {
    const doc = structuredClone(order);
    projectDocument(doc, { 'customer.address.zip': 0, 'items.qty': 0 });
    projectDocument(doc, { 'items.sku': 1, notes: { $slice: 1 } });
    expect(doc).toEqual(order);
  });

  it('no projection (or {}) returns the document as is', () => {
    expect(projectDocument(order, undefined)).toBe(order);
    expect(projectDocument(order, {})).toBe(order);
  });
});

describe('$slice, $elemMatch and positional projections', () => {
  it('$slice alone keeps every other field', () => {
    expect(projectDocument(order, { notes: { $slice: 2 } })).toEqual({ ...order, notes: ['n1', 'n2'] });
    expect(projectDocument(order, { notes: { $slice: -1 } }).notes).toEqual(['n4']);
    expect(projectDocument(order, { notes: { $slice: [1, 2] } }).notes).toEqual(['n2', 'n3']);
    expect(projectDocument(order, { notes: { $slice: [-3, 1] } }).notes).toEqual(['n2']);
  });

  it('$slice with inclusion returns only the included fields', () => {
    expect(projectDocument(order, { status: 1, notes: { $slice: 1 } })).toEqual({ _id: 7, status: 'open', notes: ['n1'] });
  });

  it('$elemMatch returns the first matching element only', () => {
    const school = { _id: 1, zipcode: '63109', students: [{ name: 'john', school: 102 }, { name: 'jess', school: 102 }] };
    expect(projectDocument(school, { students: { $elemMatch: { school: 102 } } })).toEqual({
      _id: 1,
      students: [{ name: 'john', school: 102 }],
    });
    expect(projectDocument(school, { students: { $elemMatch: { school: 999 } } })).toEqual({ _id: 1 });
    expect(projectDocument({ _id: 2, xs: [1, 5, 9] }, { xs: { $elemMatch: { $gt: 4 } } })).toEqual({ _id: 2, xs: [5] });
  });

  it('positional field.$ uses the filter to pick the element', () => {
    const doc = { _id: 3, grades: [80, 85, 90], reviews: [{ by: 'a', ok: false }, { by: 'b', ok: true }] };
    expect(projectDocument(doc, { 'grades.$': 1 }, { grades: { $gte: 85 } })).toEqual({ _id: 3, grades: [85] });
    expect(projectDocument(doc, { 'reviews.$': 1, _id: 0 }, { 'reviews.ok': true })).toEqual({ reviews: [{ by: 'b', ok: true }] });
    expect(codeOf(() => projectDocument(doc, { 'grades.$': 1 }, { other: 1 }))).toBe(51246);
  });
});

describe('computed fields (mongod 4.4+)', () => {
  it('evaluates expressions and literals against the document', () => {
    const p = compileProjection({
      _id: 0,
      who: '$customer.name',
      total: { $sum: { $map: { input: { $slice: ['$items', 2] }, in: { $multiply: ['$$this.qty', '$$this.price'] } } } },
      label: 'fixed',
      flags: [1, '$status'],
      'meta.kind': { $literal: 'order' },
    });
    expect(p(order)).toEqual({ who: 'Ada', total: 45, label: 'fixed', flags: [1, 'open'], meta: { kind: 'order' } });
  });

  it('works with ObjectIds in expressions', () => {
    const id = new ObjectId();
    expect(projectDocument({ _id: id, owner: id }, { same: { $eq: ['$_id', '$owner'] }, hex: { $toString: '$_id' } })).toEqual({
      _id: id,
      same: true,
      hex: id.toHexString(),
    });
  });
});

describe('projection errors', () => {
  it('mixing inclusion and exclusion is rejected with mongod codes', () => {
    let e: unknown;
    try {
      projectDocument(order, { status: 1, notes: 0 });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(MongoCommandError);
    expect((e as MongoCommandError).code).toBe(31254);
    expect((e as MongoCommandError).message).toBe('Cannot do exclusion on field notes in inclusion projection');
    expect(codeOf(() => projectDocument(order, { notes: 0, status: 1 }))).toBe(31253);
    expect(codeOf(() => projectDocument(order, { notes: 0, total: { $add: [1, 2] } }))).toBe(31252);
  });

  it('path collisions and unsupported $meta', () => {
    expect(codeOf(() => projectDocument(order, { customer: 1, 'customer.name': 1 }))).toBe(31249);
    expect(codeOf(() => projectDocument(order, { 'customer.name': 1, customer: 1 }))).toBe(31250);
    expect(codeOf(() => projectDocument(order, { score: { $meta: 'textScore' } }))).toBe(238);
  });
});
