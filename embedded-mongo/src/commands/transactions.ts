import type { NewEntry } from '../engine/engine.js';
import { ErrorCode, MongoCommandError } from '../errors.js';
import { indexCreations } from '../storage/indexes/collection-indexes.js';
import { collideOn } from '../storage/unique.js';
import { writeConflict } from '../txn/registry.js';
import type { Transaction } from '../txn/transaction.js';
import type { Doc } from '../types.js';
import type { ServerState } from './context.js';
import type { SessionState } from './sessions.js';

/** indexCreations() when each transaction began (see assertKeyableByNewIndexes). */
const indexCreationsAtBegin = new WeakMap<Transaction, number>();

export const noSuchTransaction = (txnNumber: number) =>
  new MongoCommandError(ErrorCode.NoSuchTransaction, `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, ['TransientTransactionError']);

/**
 * Resolves the transaction a command with `autocommit: false` belongs to, starting one on
 * `startTransaction: true`. A newer txnNumber aborts an older open transaction, as mongod does.
 */
export function transactionFor(server: ServerState, session: SessionState, cmd: Doc, txnNumber: number): Transaction {
  if (cmd.startTransaction === true) {
    if (txnNumber < session.txnNumber || (txnNumber === session.txnNumber && session.txn)) {
      throw new MongoCommandError(ErrorCode.ConflictingOperationInProgress, `Given transaction number ${txnNumber} does not match any in-progress transactions. The active transaction number is ${session.txnNumber}`);
    }
    if (session.txn?.state === 'active') server.engine.txns.end(session.txn, 'aborted', 'superseded');
    session.txnNumber = txnNumber;
    session.retryReply = undefined;
    session.txn = server.engine.txns.begin(session.key, txnNumber, session.lsid);
    indexCreationsAtBegin.set(session.txn, indexCreations());
    return session.txn;
  }
  const txn = session.txn;
  if (!txn || txn.txnNumber !== txnNumber || txn.state === 'aborted') throw noSuchTransaction(txnNumber);
  if (txn.state === 'committed') {
    throw new MongoCommandError(ErrorCode.TransactionCommitted, `Transaction with { txnNumber: ${txnNumber} } has been committed.`);
  }
  return txn;
}

/** Aborts a transaction after a failed statement: mongod does not let it continue. */
export function abortOnError(server: ServerState, txn: Transaction, reason: string): void {
  if (txn.state === 'active') server.engine.txns.end(txn, 'aborted', reason);
}

/**
 * Commits atomically. Unique keys are re-checked against what others committed meanwhile;
 * a clash becomes a WriteConflict so `withTransaction` retries and then sees the duplicate.
 */
export async function commitTransaction(server: ServerState, session: SessionState, txnNumber: number): Promise<Doc> {
  const txn = session.txn;
  if (!txn || txn.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
  if (txn.state === 'committed') return { ok: 1 };
  if (txn.state === 'aborted') throw noSuchTransaction(txnNumber);
  try {
    assertKeyableByNewIndexes(server, txn);
  } catch (err) {
    abortOnError(server, txn, 'a buffered write cannot be indexed');
    throw err;
  }
  try {
    assertNoCommittedDuplicates(server, txn);
  } catch (err) {
    abortOnError(server, txn, 'unique conflict at commit');
    throw err;
  }
  const entries: NewEntry[] = txn.pending.map((w) => ({
    op: w.op, db: w.db, coll: w.coll, documentKey: w.documentKey, doc: w.doc, updateDescription: w.updateDescription, lsid: txn.lsid, txnNumber,
  }));
  const durable = server.engine.commit(entries, txn);
  server.engine.txns.end(txn, 'committed');
  await durable;
  return { ok: 1 };
}

/**
 * Every write was checked against the indexes when it was made; an index created since could
 * still refuse one (171, parallel arrays), and commit must then fail before applying anything,
 * not halfway through.
 */
function assertKeyableByNewIndexes(server: ServerState, txn: Transaction): void {
  if (indexCreationsAtBegin.get(txn) === indexCreations()) return;
  for (const [ns, writes] of txn.writes) {
    const dot = ns.indexOf('.');
    const coll = server.engine.catalog.get(ns.slice(0, dot), ns.slice(dot + 1));
    if (!coll) continue;
    for (const [idKey, doc] of writes) if (doc) coll.indexes.assertKeyable(doc, idKey);
  }
}

function assertNoCommittedDuplicates(server: ServerState, txn: Transaction): void {
  for (const [ns, writes] of txn.writes) {
    const dot = ns.indexOf('.');
    const coll = server.engine.catalog.get(ns.slice(0, dot), ns.slice(dot + 1));
    if (!coll || !coll.indexes.hasUniqueSecondary()) continue;
    for (const [idKey, doc] of writes) {
      if (!doc) continue;
      for (const { spec, idKeys } of coll.indexes.uniqueConflicts(doc, idKey)) {
        for (const other of idKeys) {
          if (writes.has(other)) continue;
          const committed = coll.get(other);
          if (committed && collideOn(spec, doc, committed)) throw writeConflict();
        }
      }
    }
  }
}

export function abortTransaction(server: ServerState, session: SessionState, txnNumber: number): Doc {
  const txn = session.txn;
  if (!txn || txn.txnNumber !== txnNumber || txn.state === 'aborted') throw noSuchTransaction(txnNumber);
  if (txn.state === 'committed') {
    throw new MongoCommandError(ErrorCode.TransactionCommitted, `Transaction with { txnNumber: ${txnNumber} } has been committed.`);
  }
  server.engine.txns.end(txn, 'aborted', 'abortTransaction');
  return { ok: 1 };
}
