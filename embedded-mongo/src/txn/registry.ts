import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { Transaction } from './transaction.js';

/** mongod's answer when two writers touch the same document; drivers retry on the label. */
export const writeConflict = () =>
  new MongoCommandError(
    ErrorCode.WriteConflict,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    {},
    ['TransientTransactionError'],
  );

/**
 * Active transactions and the document locks they hold. First writer wins: a second
 * transaction writing a locked document, or a document committed by someone else after its
 * snapshot, gets a WriteConflict and is retried by `withTransaction`.
 */
export class TxnRegistry {
  readonly active = new Set<Transaction>();
  /** Since start, as mongod's `serverStatus().transactions` counts them. */
  readonly totals = { started: 0, committed: 0, aborted: 0 };
  /**
   * Document locks by namespace, then idKey: no `ns + idKey` string built and hashed per write
   * (a batch transaction locks thousands).
   */
  private readonly locks = new Map<string, Map<string, Transaction>>();
  /** Per transaction, the idKeys it locked in each namespace's lock map. */
  private readonly held = new Map<Transaction, Map<Map<string, Transaction>, string[]>>();

  begin(sessionKey: string, txnNumber: number, lsid: Doc): Transaction {
    const txn = new Transaction(sessionKey, txnNumber, lsid);
    this.active.add(txn);
    this.totals.started += 1;
    return txn;
  }

  /** Claims a document for `txn`, or throws WriteConflict. */
  lock(txn: Transaction, ns: string, idKey: string): void {
    let locks = this.locks.get(ns);
    if (!locks) this.locks.set(ns, (locks = new Map()));
    const holder = locks.get(idKey);
    if (holder === txn) return;
    if (holder || txn.changedSinceSnapshot(ns, idKey)) throw writeConflict();
    locks.set(idKey, txn);
    let mine = this.held.get(txn);
    if (!mine) this.held.set(txn, (mine = new Map()));
    const keys = mine.get(locks);
    if (keys) keys.push(idKey);
    else mine.set(locks, [idKey]);
  }

  /** The transaction holding a document, if any (non-transactional writers wait for it). */
  holder(ns: string, idKey: string): Transaction | undefined {
    return this.locks.get(ns)?.get(idKey);
  }

  /** Called before a committed change so every other open snapshot keeps its version. */
  beforeCommittedChange(ns: string, idKey: string, before: Doc | undefined, committer?: Transaction): void {
    for (const txn of this.active) if (txn !== committer) txn.preserve(ns, idKey, before);
  }

  end(txn: Transaction, state: 'committed' | 'aborted', reason?: string): void {
    if (txn.state === 'active') this.totals[state] += 1;
    txn.state = state;
    if (reason) txn.abortReason = reason;
    for (const [locks, idKeys] of this.held.get(txn) ?? []) for (const idKey of idKeys) if (locks.get(idKey) === txn) locks.delete(idKey);
    this.held.delete(txn);
    this.active.delete(txn);
    txn.releaseOverlays();
  }

  /** Transactions older than the lifetime limit (mongod: transactionLifetimeLimitSeconds). */
  expired(now: number, lifetimeMs: number): Transaction[] {
    return [...this.active].filter((t) => now - t.startedAt > lifetimeMs);
  }
}
