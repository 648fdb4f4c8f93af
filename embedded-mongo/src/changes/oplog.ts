import { Timestamp } from 'bson';
import type { Doc } from '../types.js';

/** What an oplog entry records; the same shape is journaled and replayed on restart. */
export type OplogOp = 'insert' | 'update' | 'replace' | 'delete' | 'create' | 'drop' | 'dropDatabase' | 'createIndexes' | 'dropIndexes';

export interface OplogEntry {
  seq: number;
  ts: Timestamp;
  wall: Date;
  op: OplogOp;
  db: string;
  coll?: string;
  /** `{ _id }` of the document for CRUD ops. */
  documentKey?: Doc;
  /** Post-image for insert/update/replace (full document after the write). */
  doc?: Doc;
  updateDescription?: Doc;
  /** Collection options, index spec or index name for DDL ops. */
  payload?: Doc;
  lsid?: Doc;
  txnNumber?: number;
}

/**
 * The ordered log of every committed change: the source of change streams and of the journal.
 * It keeps the newest `capacity` entries in memory; older ones are forgotten, so resuming from a
 * token older than that answers ChangeStreamHistoryLost like a rolled-over mongod oplog.
 */
export class Oplog {
  private entries: OplogEntry[] = [];
  private head = 0;
  private waiters = new Set<() => void>();
  private lastSecond = 0;
  private increment = 0;
  lastSeq = 0;

  constructor(private readonly capacity = 200_000) {}

  /** Allocates the next sequence number and cluster time for an entry about to be appended. */
  stamp(): { seq: number; ts: Timestamp; wall: Date } {
    const wall = new Date();
    const second = Math.floor(wall.getTime() / 1000);
    if (second > this.lastSecond) {
      this.lastSecond = second;
      this.increment = 0;
    }
    this.increment += 1;
    this.lastSeq += 1;
    return { seq: this.lastSeq, ts: new Timestamp({ t: this.lastSecond, i: this.increment }), wall };
  }

  append(entry: OplogEntry): void {
    this.entries.push(entry);
    this.lastSeq = Math.max(this.lastSeq, entry.seq);
    const ts = entry.ts;
    if (ts.high > this.lastSecond || (ts.high === this.lastSecond && ts.low > this.increment)) {
      this.lastSecond = ts.high;
      this.increment = ts.low;
    }
    if (this.entries.length - this.head > this.capacity) this.head += 1;
    if (this.head > 4096 && this.head > this.entries.length / 2) this.compactArray();
  }

  /** Wakes change-stream cursors waiting in getMore; called once per committed write group. */
  notify(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }

  /** Resolves on the next notify() or after `ms`, whichever is first. */
  waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  /** Oldest sequence number still held; a resume point before it has lost history. */
  get oldestSeq(): number {
    return this.head < this.entries.length ? this.entries[this.head].seq : this.lastSeq + 1;
  }

  get currentTime(): Timestamp {
    return new Timestamp({ t: this.lastSecond, i: this.increment });
  }

  /**
   * The held entries with seq > after, as the backing array and the index of the first one: a
   * plain loop over it (synchronous, so the array cannot change meanwhile) is what every change
   * stream runs over every commit, and a generator per read cost more than the reading.
   */
  after(after: number): { entries: readonly OplogEntry[]; start: number } {
    return { entries: this.entries, start: this.indexAfter(after) };
  }

  /** First seq whose cluster time is >= ts (for startAtOperationTime), minus one. */
  seqBeforeTime(ts: Timestamp): number {
    for (let i = this.head; i < this.entries.length; i++) {
      if (this.entries[i].ts.compare(ts) >= 0) return this.entries[i].seq - 1;
    }
    return this.lastSeq;
  }

  /** Entries held in memory, oldest first (persisted into snapshots so resume survives restarts). */
  retained(): OplogEntry[] {
    return this.entries.slice(this.head);
  }

  private indexAfter(after: number): number {
    let lo = this.head;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].seq <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compactArray(): void {
    this.entries = this.entries.slice(this.head);
    this.head = 0;
  }
}
