import { describe, expect, it } from 'vitest';
import type { Doc } from '../../src/types.js';
import { compileFilter } from '../../src/query/filter.js';
import { indexValues } from '../../src/query/paths.js';
import type { IndexDeps } from '../../src/storage/indexes/spec.js';
import { prng, type Rng } from '../helpers/prng.js';
import { deps as localDeps, idKeyOf, TestCollection } from './helpers.js';

function generators({ next: rand, int, pick }: Rng) {
  const scalar = () => pick<unknown>([int(6), int(6) + 0.5, `s${int(4)}`, null, new Date(2024, 0, 1 + int(5)), true]);
  const a = () => pick<() => unknown>([scalar, scalar, scalar, () => [int(6), int(6)], () => []])();
  function doc(id: number): Doc {
    const d: Doc = { _id: id, b: int(10) };
    if (rand() < 0.8) d.a = a();
    if (rand() < 0.6) d.tags = Array.from({ length: int(4) }, () => `t${int(5)}`);
    if (rand() < 0.5) d.u = `u${int(40)}`;
    if (rand() < 0.5) d.sub = { k: int(4) };
    return d;
  }
  function filter(): Doc {
    const range = () => pick(['$gt', '$gte', '$lt', '$lte']);
    return pick<() => Doc>([
      () => ({ a: scalar() }),
      () => ({ a: { [range()]: pick<unknown>([int(6), `s${int(4)}`, new Date(2024, 0, 1 + int(5))]) } }),
      () => ({ a: { $in: [scalar(), scalar()] } }),
      () => ({ a: int(6), b: { [range()]: int(10) } }),
      () => ({ a: { $gte: int(3), $lt: 3 + int(3) } }),
      () => ({ b: { $gte: int(5), $lte: 5 + int(5) } }),
      () => ({ tags: `t${int(5)}` }),
      () => ({ u: `u${int(40)}` }),
      () => ({ 'sub.k': int(4) }),
      () => ({ 'sub.k': null }),
      () => ({ $or: [{ a: int(6) }, { tags: `t${int(5)}` }] }),
      () => ({ _id: { $in: [int(200), int(200)] } }),
    ])();
  }
  return { int, doc, filter };
}

/** The test stand-ins, and the real query layer the server wires in. */
const DEPS: Array<[string, IndexDeps]> = [
  ['local deps', localDeps],
  ['query/paths + query/filter', { indexValues, compileFilter }],
];

function setup(deps: IndexDeps): TestCollection {
  const c = new TestCollection('prop.c', deps);
  c.createIndex({ a: 1 });
  c.createIndex({ a: 1, b: -1 });
  c.createIndex({ b: 1 });
  c.createIndex({ tags: 1 });
  c.createIndex({ u: 1 }, { unique: true, sparse: true });
  c.createIndex({ 'sub.k': 1 }, { partialFilterExpression: { b: { $gte: 3 } } });
  return c;
}

/** A collection rebuilt from scratch over the same documents must hold the same entries. */
function rebuilt(c: TestCollection, deps: IndexDeps): TestCollection {
  const fresh = setup(deps);
  for (const d of c.docs.values()) fresh.insert(d);
  return fresh;
}

/** Random inserts/updates/deletes, with planned queries cross-checked against a full scan. */
function randomWrites(deps: IndexDeps, seed: number): void {
  const rng = prng(seed);
  const g = generators(rng);
  const c = setup(deps);
  let rejected = 0;
  for (let step = 0; step < 3000; step++) {
    const id = g.int(200);
    const existing = c.docs.has(idKeyOf({ _id: id }));
    const before = c.indexes.entryCounts();
    try {
      if (!existing) c.insert(g.doc(id));
      else if (rng.next() < 0.7) c.update(g.doc(id));
      else c.delete(id);
    } catch (err) {
      expect((err as { code: number }).code).toBe(11000);
      expect(c.indexes.entryCounts()).toEqual(before); // a rejected write changes nothing
      rejected++;
    }
    if (step % 150 === 0) {
      for (let q = 0; q < 40; q++) {
        const f = g.filter();
        const expected = c.scan(f);
        const plan = c.indexes.plan(f);
        if (plan) expect([...new Set(plan.idKeys)], JSON.stringify(f)).toEqual(expect.arrayContaining(expected));
        expect(c.query(f).ids, JSON.stringify(f)).toEqual(expected);
      }
    }
  }
  expect(rejected).toBeGreaterThan(0); // the unique index was exercised
  expect(c.indexes.entryCounts()).toEqual(rebuilt(c, deps).indexes.entryCounts());
  const order = c.indexes.scanOrder({ b: -1 });
  expect(order?.indexName).toBe('b_1');
  const bs = [...order!.idKeys].map((k) => c.docs.get(k)!.b as number);
  expect(bs).toHaveLength(c.docs.size);
  expect(bs).toEqual([...bs].sort((x, y) => y - x));
}

describe('index maintenance under random writes', () => {
  for (const [label, deps] of DEPS) {
    for (const seed of [1, 2, 3]) {
      it(`stays consistent with a brute-force scan (${label}, seed ${seed})`, () => randomWrites(deps, seed));
    }
  }

  it('skips index work when an update leaves indexed fields untouched', () => {
    const c = setup(localDeps);
    const doc = { _id: 1, a: [1, 2], b: 4, tags: ['x'], sub: { k: 1 } };
    c.insert(doc);
    const counts = c.indexes.entryCounts();
    c.update({ ...doc, other: 'changed' });
    expect(c.indexes.entryCounts()).toEqual(counts);
    c.update({ ...doc, a: [1, 2, 3], other: 'changed' });
    expect(c.indexes.entryCounts()).toEqual({ ...counts, a_1: 3, 'a_1_b_-1': 3 });
  });
});
