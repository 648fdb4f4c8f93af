import { ObjectId } from 'bson';
import { describeUpdate } from '../changes/update-description.js';
import type { Engine } from '../engine/engine.js';
import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Transaction } from '../txn/transaction.js';
import type { Doc } from '../types.js';
import { idKeyOf, type Collection } from './collection.js';
import { duplicateKeyError } from './indexes/collection-indexes.js';
import type { ReadView } from './read-view.js';
import { detachBinaries } from './detach.js';
import { collideOn } from './unique.js';

const ID_INDEX = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Everything a write needs: where it reads from, whether it is transactional, what to await. */
export interface WriteContext {
  engine: Engine;
  view: ReadView;
  txn?: Transaction;
  /** Durability promises of committed writes; the command awaits them before replying. */
  durable: Promise<void>[];
}

/** Puts `_id` first (generating an ObjectId if absent), as mongod stores inserted documents. */
export function withId(doc: Doc): Doc {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  if (Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

function assertValidId(id: unknown): void {
  if (Array.isArray(id)) throw new MongoCommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw new MongoCommandError(ErrorCode.InvalidIdField, "The '_id' value cannot be of type regex");
}

/** Throws E11000 if `doc` would duplicate a unique key visible to this writer. */
export function assertUniqueVisible(ctx: WriteContext, coll: Collection, doc: Doc, idKey: string): void {
  // Nothing to check (and no overlay to build and keep indexed for a transaction) when `_id`,
  // checked by the caller, is the only unique key.
  if (!coll.indexes.hasUniqueSecondary()) return;
  for (const { spec, idKeys, keyValue } of coll.indexes.uniqueConflicts(doc, idKey)) {
    for (const other of idKeys) {
      const visible = ctx.view.get(coll, other);
      if (visible && collideOn(spec, doc, visible)) throw duplicateKeyError(coll.ns, spec, keyValue);
    }
  }
  // Then the transaction's own buffered writes, which the committed index does not hold: an
  // index lookup in its overlay (a scan of every buffered write made batches quadratic).
  const txn = ctx.txn;
  if (!txn?.writes.get(coll.ns)) return;
  const clash = txn.overlay(coll)?.uniqueClash(doc, idKey, (other) => !!txn.ownWrite(coll.ns, other));
  if (clash) throw duplicateKeyError(coll.ns, clash.spec, clash.keyValue);
}

/** Inserts one document; returns it as stored. */
export async function insertDocument(ctx: WriteContext, coll: Collection, input: Doc): Promise<Doc> {
  const doc = detachBinaries(withId(input));
  assertValidId(doc._id);
  const idKey = idKeyOf(doc);
  await waitForLock(ctx, coll, idKey);
  if (ctx.view.get(coll, idKey)) throw duplicateKeyError(coll.ns, ID_INDEX, { _id: doc._id });
  if (ctx.txn) coll.indexes.assertKeyable(doc, idKey);
  assertUniqueVisible(ctx, coll, doc, idKey);
  record(ctx, coll, { op: 'insert', idKey, doc });
  return doc;
}

/** Stores a new version of an existing document (update or replacement). */
export function replaceDocument(ctx: WriteContext, coll: Collection, before: Doc, input: Doc, op: 'update' | 'replace'): void {
  const after = detachBinaries(input);
  const idKey = idKeyOf(before);
  if (ctx.txn) coll.indexes.assertKeyable(after, idKey);
  assertUniqueVisible(ctx, coll, after, idKey);
  const updateDescription = op === 'update' ? describeUpdate(before, after) : undefined;
  record(ctx, coll, { op, idKey, doc: after, updateDescription });
}

export function deleteDocument(ctx: WriteContext, coll: Collection, doc: Doc): void {
  record(ctx, coll, { op: 'delete', idKey: idKeyOf(doc) });
}

/**
 * Waits while another transaction holds the document, as mongod's non-transactional writers
 * queue behind a transaction's lock. Inside a transaction, the lock attempt itself decides
 * (first writer wins, the loser gets WriteConflict).
 */
export async function waitForLock(ctx: WriteContext, coll: Collection, idKey: string): Promise<void> {
  if (ctx.txn) {
    ctx.engine.txns.lock(ctx.txn, coll.ns, idKey);
    return;
  }
  const deadline = Date.now() + 30_000;
  while (ctx.engine.txns.holder(coll.ns, idKey)) {
    if (Date.now() > deadline) throw new MongoCommandError(ErrorCode.MaxTimeMSExpired, 'operation exceeded time limit waiting for a transaction lock');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function record(ctx: WriteContext, coll: Collection, w: { op: 'insert' | 'update' | 'replace' | 'delete'; idKey: string; doc?: Doc; updateDescription?: Doc }): void {
  const documentKey = { _id: (w.doc ?? ctx.view.get(coll, w.idKey))?._id };
  if (ctx.txn) {
    // One fixed shape (not a spread of `w`): thousands per batch transaction.
    ctx.txn.recordWrite({ op: w.op, db: coll.db, coll: coll.name, idKey: w.idKey, documentKey, doc: w.doc, updateDescription: w.updateDescription });
    return;
  }
  ctx.durable.push(ctx.engine.commit([{ op: w.op, db: coll.db, coll: coll.name, documentKey, doc: w.doc, updateDescription: w.updateDescription }]));
}
