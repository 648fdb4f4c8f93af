import { beforeEach, describe, expect, it } from 'vitest';
import { runQuery } from '../../src/commands/query-exec.js';
import { Engine } from '../../src/engine/engine.js';
import type { Collection } from '../../src/storage/collection.js';
import { committedView, transactionView } from '../../src/storage/read-view.js';
import { deleteDocument, insertDocument, replaceDocument, waitForLock, type WriteContext } from '../../src/storage/writes.js';
import type { Transaction } from '../../src/txn/transaction.js';
import { compileFilter } from '../../src/query/filter.js';
import { collideOn } from '../../src/storage/unique.js';
import { silentLogger, type Doc } from '../../src/types.js';
import { prng } from '../helpers/prng.js';

/**
 * The transaction overlay below the wire: the order reads return overridden documents in, and
 * the overlay staying right when the collection's indexes change under an open transaction —
 * situations a driver cannot set up against mongod, whose DDL waits for open transactions.
 */
let engine: Engine;
let coll: Collection;
let txn: Transaction;
let inTxn: WriteContext;
let outside: WriteContext;

beforeEach(async () => {
  engine = await Engine.open({ log: silentLogger });
  coll = await engine.ensureCollection('db', 'c');
  outside = { engine, view: committedView, durable: [] };
});

/** Opens the transaction: its snapshot is what is committed at this point. */
function begin(): void {
  txn = engine.txns.begin('session', 1, { id: 'session' });
  inTxn = { engine, view: transactionView(txn), txn, durable: [] };
}

const createIndex = (spec: Doc) => engine.commit([{ op: 'createIndexes', db: 'db', coll: 'c', payload: { spec } }]);
const ids = (view: WriteContext['view'], filter: Doc) => runQuery(view, coll, { filter }).docs.map((d) => d._id);
const get = (ctx: WriteContext, id: unknown) => ctx.view.get(coll, `n${id}`) ?? (() => { throw new Error(`no doc ${String(id)}`); })();
const update = (ctx: WriteContext, id: number, set: Doc) => replaceDocument(ctx, coll, get(ctx, id), { ...get(ctx, id), ...set }, 'update');
const thrown = async (p: Promise<unknown>) => p.then(() => undefined, (e: { code: number; extra: Doc }) => e);

describe('transaction overlay', () => {
  it('should return overridden documents after the committed ones, preserved before written, whatever the plan', async () => {
    await createIndex({ key: { k: 1 }, name: 'k_1' });
    for (const [id, k] of [[1, 1], [2, 2], [3, 3], [5, 5]]) await insertDocument(outside, coll, { _id: id, k });
    // _id as idKey: numbers are keyed `n<value>` (see valueKey).
    expect(get(outside, 1)).toEqual({ _id: 1, k: 1 });
    begin();

    update(inTxn, 2, { k: 20 }); // written
    update(outside, 3, { k: 30 }); // committed by another writer: preserved
    await insertDocument(inTxn, coll, { _id: 4, k: 4 }); // written
    await insertDocument(outside, coll, { _id: 6, k: 6 }); // preserved as "did not exist"
    deleteDocument(inTxn, coll, get(inTxn, 5)); // written (deleted)

    const expected = [1, 3, 2, 4];
    expect(ids(inTxn.view, {})).toEqual(expected); // collection scan
    expect(ids(inTxn.view, { k: { $gte: 0 } })).toEqual(expected); // index scan on both sides
    expect(ids(inTxn.view, { _id: { $in: [6, 5, 4, 3, 2, 1] } })).toEqual(expected);
    expect(runQuery(inTxn.view, coll, { filter: { k: 3 } }).docs).toEqual([{ _id: 3, k: 3 }]);
    expect(ids(inTxn.view, { k: 30 })).toEqual([]);
    expect(ids(inTxn.view, { k: 2 })).toEqual([]);
    expect(ids(inTxn.view, { k: 20 })).toEqual([2]);
    expect(ids(inTxn.view, { k: 6 })).toEqual([]);
    expect(ids(outside.view, {})).toEqual([1, 2, 3, 5, 6]);
  });

  it('should follow an index created while the transaction is open', async () => {
    begin();
    await insertDocument(inTxn, coll, { _id: 1, u: 'x' });
    await insertDocument(inTxn, coll, { _id: 2, u: 'y' });
    expect(ids(inTxn.view, { u: 'x' })).toEqual([1]); // builds the overlay without a `u` index
    await createIndex({ key: { u: 1 }, name: 'u_1', unique: true });
    const err = await thrown(insertDocument(inTxn, coll, { _id: 3, u: 'x' }));
    expect(err).toMatchObject({ code: 11000, extra: { keyPattern: { u: 1 }, keyValue: { u: 'x' } } });
    expect(ids(inTxn.view, { u: 'y' })).toEqual([2]);
  });

  it('should refuse to buffer a document an index cannot key (parallel arrays), as mongod refuses the write', async () => {
    await createIndex({ key: { a: 1, b: 1 }, name: 'a_1_b_1' });
    begin();
    const err = await thrown(insertDocument(inTxn, coll, { _id: 1, a: [1, 2], b: [3, 4] }));
    expect(err).toMatchObject({ code: 171 });
    expect(ids(inTxn.view, {})).toEqual([]);
  });

  it('should still find and check a buffered document an index created afterwards cannot key (parallel arrays)', async () => {
    begin();
    await insertDocument(inTxn, coll, { _id: 1, a: [1, 2], b: [3, 4] });
    await insertDocument(inTxn, coll, { _id: 2, a: 7, b: 8 });
    await createIndex({ key: { a: 1, b: 1 }, name: 'a_1_b_1' });
    expect(ids(inTxn.view, { a: 1, b: 3 })).toEqual([1]);
    expect(ids(inTxn.view, { a: 7, b: 8 })).toEqual([2]);
    await createIndex({ key: { b: 1, a: 1 }, name: 'b_1_a_1', unique: true });
    const err = await thrown(insertDocument(inTxn, coll, { _id: 3, a: 2, b: 4 }));
    expect(err).toMatchObject({ code: 11000, extra: { keyPattern: { b: 1, a: 1 }, keyValue: { b: 4, a: 2 } } });
    await insertDocument(inTxn, coll, { _id: 4, a: 2, b: 5 });
    expect(ids(inTxn.view, { a: 2 })).toEqual([1, 4]);
  });

  /**
   * Differential: random transactional writes, concurrent commits and queries, each compared
   * with the straightforward algorithm the overlay replaces (scan every overridden document for
   * reads, every buffered write for unique keys). Results and their order must be identical;
   * unique violations must hit the same index (the keyValue may differ: the scan reported a
   * multikey document's first value instead of the duplicated one).
   */
  it('should read and check uniqueness exactly as a scan of every overridden document would', async () => {
    const SEED = Number(process.env.TXN_OVERLAY_SEED ?? 0x5eed) >>> 0;
    const rng = prng(SEED);
    await createIndex({ key: { u: 1 }, name: 'u_1', unique: true });
    await createIndex({ key: { k: 1 }, name: 'k_1' });
    await createIndex({ key: { g: 1, h: 1 }, name: 'g_1_h_1', unique: true, partialFilterExpression: { h: { $gt: 0 } } });
    // Empty arrays are left out: the scan's matcher took them for null, the index does not.
    const U = ['a', 'b', 'c', 'd', 'e', null, undefined, ['a', 'x'], ['y', 'b'], ['z']];
    const K = [0, 1, 2, 3, [1, 2], [3, 4], undefined];
    const randomDoc = (id: number): Doc => {
      const d: Doc = { _id: id };
      // Mostly fresh keys, so the transaction grows well past the overlay's scan threshold.
      const u = rng.int(3) ? `v${id}` : rng.pick(U);
      if (u !== undefined) d.u = u;
      const k = rng.pick(K);
      if (k !== undefined) d.k = k;
      if (rng.int(2)) d.g = rng.int(3);
      if (rng.int(2)) d.h = rng.int(3);
      return d;
    };
    let nextId = 0;
    for (let i = 0; i < 40; i++) await insertDocument(outside, coll, randomDoc(nextId++)).catch(() => undefined);
    begin();

    const visibleIds = (): number[] => ids(inTxn.view, {}) as number[];
    const referenceQuery = (filter: Doc): unknown[] => {
      const test = compileFilter(filter);
      const overridden = txn.overriddenKeys(coll.ns);
      const out: unknown[] = [];
      for (const [idKey, doc] of coll.candidates(filter).entries) if (!overridden.includes(idKey) && test(doc)) out.push(doc._id);
      for (const idKey of overridden) {
        const doc = inTxn.view.get(coll, idKey);
        if (doc && test(doc)) out.push(doc._id);
      }
      return out;
    };
    const referenceClash = (doc: Doc, idKey: string): string | undefined => {
      for (const { spec, idKeys } of coll.indexes.uniqueConflicts(doc, idKey)) {
        for (const other of idKeys) {
          const visible = inTxn.view.get(coll, other);
          if (visible && collideOn(spec, doc, visible)) return spec.name;
        }
      }
      for (const spec of coll.indexes.list().filter((s) => s.unique && s.name !== '_id_')) {
        for (const [otherKey, other] of txn.writes.get(coll.ns) ?? []) {
          if (otherKey !== idKey && other && collideOn(spec, doc, other)) return spec.name;
        }
      }
      return undefined;
    };
    const FILTERS = (): Doc[] => [
      {},
      { u: rng.pick(U.filter((u) => u !== undefined)) },
      { u: { $in: [rng.pick(['a', 'b', 'x']), rng.pick(['c', 'y', null])] } },
      { k: rng.int(5) },
      { k: { $gte: rng.int(5) } },
      { g: rng.int(3), h: { $gt: 0 } },
      { _id: { $in: [rng.int(nextId), rng.int(nextId), rng.int(nextId)] } },
      { $or: [{ u: rng.pick(['a', 'b']) }, { k: rng.int(5) }] },
      { u: { $exists: false } },
    ];

    let checkedClashes = 0;
    for (let step = 0; step < 1500; step++) {
      const action = rng.int(10);
      if (action <= 3) {
        // A transactional write: insert (sometimes of a visible _id), update or delete.
        const visible = visibleIds();
        const id = visible.length && rng.int(4) === 0 ? rng.pick(visible) : nextId++;
        const target = visible.length && action > 0 ? rng.pick(visible) : undefined;
        if (target === undefined || action === 0) {
          const doc = randomDoc(id);
          const expected = inTxn.view.get(coll, `n${id}`) ? '_id_' : referenceClash(doc, `n${id}`);
          const err = await thrown(insertDocument(inTxn, coll, doc));
          if (err?.code === 112) continue; // written by someone else since the snapshot
          expect(err ? (err.extra as { keyPattern: Doc }).keyPattern : undefined, `step ${step} insert ${JSON.stringify(doc)}`).toEqual(
            expected === undefined ? undefined : coll.indexes.list().find((s) => s.name === expected)!.key,
          );
          if (expected) checkedClashes++;
          continue;
        }
        const conflict = await thrown(waitForLock(inTxn, coll, `n${target}`));
        if (conflict) continue;
        const current = get(inTxn, target);
        if (action === 1) {
          deleteDocument(inTxn, coll, current);
          continue;
        }
        const next = { ...randomDoc(target) };
        const expected = referenceClash(next, `n${target}`);
        let err: { code: number; extra: Doc } | undefined;
        try {
          replaceDocument(inTxn, coll, current, next, 'replace');
        } catch (e) {
          err = e as { code: number; extra: Doc };
        }
        expect(err ? (err.extra as { keyPattern: Doc }).keyPattern : undefined, `step ${step} replace ${JSON.stringify(next)}`).toEqual(
          expected === undefined ? undefined : coll.indexes.list().find((s) => s.name === expected)!.key,
        );
        if (expected) checkedClashes++;
      } else if (action <= 6) {
        // Another writer commits, on documents the transaction does not hold.
        const id = rng.int(4) === 0 ? nextId++ : rng.int(nextId);
        if (engine.txns.holder(coll.ns, `n${id}`)) continue;
        const current = coll.get(`n${id}`);
        if (!current) await insertDocument(outside, coll, randomDoc(id)).catch(() => undefined);
        else if (rng.int(3) === 0) deleteDocument(outside, coll, current);
        else {
          try {
            replaceDocument(outside, coll, current, randomDoc(id), 'replace');
          } catch {
            // a committed duplicate: nothing changes
          }
        }
      } else {
        const filter = rng.pick(FILTERS());
        expect(ids(inTxn.view, filter), `step ${step} query ${JSON.stringify(filter)}`).toEqual(referenceQuery(filter));
      }
    }
    // The run must have exercised what it claims to (overlay queries, buffered-write clashes).
    expect(checkedClashes).toBeGreaterThan(20);
    expect(txn.overriddenKeys(coll.ns).length).toBeGreaterThan(150);
  });
});
