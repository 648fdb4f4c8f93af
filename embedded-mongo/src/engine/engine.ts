import { valueKey } from '../bson/value-key.js';
import { Oplog, type OplogEntry } from '../changes/oplog.js';
import { Journal } from '../durability/journal.js';
import { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import type { Transaction } from '../txn/transaction.js';
import { TxnRegistry } from '../txn/registry.js';
import type { Doc, Logger } from '../types.js';
import { applyEntry } from './apply.js';
import { restoreSnapshot, takeSnapshot } from './snapshot.js';

/** An entry about to be committed; the engine stamps its sequence number and cluster time. */
export type NewEntry = Omit<OplogEntry, 'seq' | 'ts' | 'wall'>;

export interface EngineOptions {
  dbPath?: string;
  log: Logger;
  oplogCapacity?: number;
  /** Journal size that triggers a snapshot + fresh journal. */
  compactAfterBytes?: number;
}

/**
 * The storage engine: catalog, oplog, transactions and the journal. Every committed change
 * goes through `commit`, which applies it in memory, appends it to the oplog (waking change
 * streams) and journals it; the returned promise resolves once it is durable, and only then
 * does the command layer acknowledge the client.
 */
export class Engine {
  readonly catalog = new Catalog();
  readonly oplog: Oplog;
  readonly txns = new TxnRegistry();
  private compacting = false;

  private constructor(
    private readonly opts: EngineOptions,
    private readonly journal?: Journal,
  ) {
    this.oplog = new Oplog(opts.oplogCapacity);
  }

  static async open(opts: EngineOptions): Promise<Engine> {
    if (!opts.dbPath) return new Engine(opts);
    const { journal, recovered } = await Journal.open(opts.dbPath, opts.log);
    const engine = new Engine(opts, journal);
    if (recovered.snapshot) restoreSnapshot(recovered.snapshot, engine.catalog, engine.oplog);
    for (const record of recovered.records) engine.replay(record.e as OplogEntry[]);
    opts.log.info(`embedded-mongo: recovered ${engine.catalog.all().length} collections from ${opts.dbPath}`);
    return engine;
  }

  private replay(entries: OplogEntry[]): void {
    for (const entry of entries) {
      applyEntry(this.catalog, entry);
      this.oplog.append(entry);
    }
  }

  /**
   * Commits entries atomically: all are applied before any reader can run (single thread) and
   * journaled as one record, so a crash keeps all or none of them. The entries become the
   * oplog's (stamped in place, not copied: a batch commits thousands), so callers hand over
   * objects of their own.
   */
  commit(entries: NewEntry[], committer?: Transaction): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const stamped: OplogEntry[] = [];
    for (const entry of entries) {
      const full = Object.assign(entry, this.oplog.stamp()) as OplogEntry;
      this.preserveSnapshots(full, committer);
      applyEntry(this.catalog, full);
      this.oplog.append(full);
      stamped.push(full);
    }
    this.oplog.notify();
    if (!this.journal) return Promise.resolve();
    const durable = this.journal.append({ e: stamped });
    this.maybeCompact();
    return durable;
  }

  /** Keeps the pre-change version of a document for every other open transaction snapshot. */
  private preserveSnapshots(entry: OplogEntry, committer?: Transaction): void {
    if (!entry.documentKey || this.txns.active.size === 0) return;
    const coll = this.catalog.get(entry.db, entry.coll ?? '');
    const idKey = valueKey(entry.documentKey._id);
    this.txns.beforeCommittedChange(`${entry.db}.${entry.coll}`, idKey, coll?.get(idKey), committer);
  }

  /** The collection, created (and journaled) on first use as mongod does for implicit creation. */
  async ensureCollection(db: string, coll: string, options: Doc = {}): Promise<Collection> {
    const existing = this.catalog.get(db, coll);
    if (existing) return existing;
    await this.commit([{ op: 'create', db, coll, payload: { options } }]);
    return this.catalog.get(db, coll)!;
  }

  private maybeCompact(): void {
    const limit = this.opts.compactAfterBytes ?? 64 * 1024 * 1024;
    if (!this.journal || this.compacting || this.journal.journalBytes < limit) return;
    this.compacting = true;
    const snapshot = takeSnapshot(this.catalog, this.oplog);
    this.journal
      .compact(snapshot)
      .catch((err: Error) => this.opts.log.warn(`embedded-mongo: snapshot failed: ${err.message}`))
      .finally(() => (this.compacting = false));
  }

  /** Writes a snapshot now (used on clean shutdown so the next start is fast). */
  async checkpoint(): Promise<void> {
    if (this.journal) await this.journal.compact(takeSnapshot(this.catalog, this.oplog));
  }

  async close(): Promise<void> {
    await this.journal?.close();
  }
}
