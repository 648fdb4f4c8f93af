import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Doc, Logger } from '../types.js';
import { encodeRecord } from './framing.js';
import { GroupCommitWriter, JournalFailedError, type JournalStats } from './group-commit.js';
import { deleteObsolete, fsyncDir, journalName } from './layout.js';
import { acquireLock, type ReleaseLock } from './lock.js';
import { recover, type Recovery, type RecoveredState } from './recovery.js';
import { writeSnapshot } from './snapshot.js';

export { JournalFailedError };
export type { JournalStats, RecoveredState };

/**
 * Durable write-ahead journal + snapshots for the in-memory engine (see layout.ts for files).
 *
 * Concurrency contract:
 * - append(): the record is serialized synchronously inside the call (later mutation of the object
 *   does not matter). Records reach disk in call order, including across compactions, and a crash
 *   always leaves a prefix of that order. The promise resolves after write + fdatasync.
 * - compact(chunks): generation switches synchronously inside the call. Appends called before it
 *   belong to the old generation, appends called after it go to the new journal (they are
 *   acknowledged as usual, without waiting for the snapshot). `chunks` must therefore describe the
 *   state including exactly the appends called before compact(). It is consumed lazily while the
 *   snapshot is written, so it must be a frozen view (e.g. an array of immutable objects or copies
 *   built synchronously at the call) even though the engine keeps writing meanwhile.
 * - Compactions may overlap; their snapshot writes run one after the other.
 * - A write/fsync error poisons the journal: that append and all later ones reject. The engine
 *   must then stop acknowledging writes (restart recovers the durable prefix).
 */
export class Journal {
  /** Counters for tests and monitoring. */
  readonly stats: JournalStats = { appends: 0, syncs: 0, compactions: 0 };
  private writer: GroupCommitWriter;
  /** Generation of the newest journal (the one appends go to). */
  private gen: number;
  private olderBytes: number;
  private compactions: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;

  private constructor(
    /** The dbPath this journal owns. */
    readonly dir: string,
    private readonly releaseLock: ReleaseLock,
    activeFile: FileHandle,
    rec: Recovery,
  ) {
    this.writer = new GroupCommitWriter(Promise.resolve(activeFile), rec.activeBytes, this.stats);
    this.gen = rec.activeGen;
    this.olderBytes = rec.olderBytes;
  }

  /**
   * Opens `dir` (created if missing), takes its `mongod.lock` and recovers the durable state.
   * Throws if another live process holds the lock, or if the files cannot be recovered
   * consistently (e.g. a journal generation is missing). Damaged tails are cut off with a warning.
   */
  static async open(dir: string, log: Logger): Promise<{ journal: Journal; recovered: RecoveredState }> {
    await mkdir(dir, { recursive: true });
    const releaseLock = await acquireLock(dir, log);
    try {
      const started = Date.now();
      const rec = await recover(dir, log);
      const file = await openJournalFile(dir, rec.activeGen);
      const journal = new Journal(dir, releaseLock, file, rec);
      const { snapshot, records } = rec.state;
      log.info(
        `durability: recovered ${dir} in ${Date.now() - started} ms: ` +
          `${snapshot ? `snapshot of ${snapshot.length} chunks` : 'no snapshot'} + ${records.length} journal records`,
      );
      return { journal, recovered: rec.state };
    } catch (err) {
      await releaseLock();
      throw err;
    }
  }

  /**
   * Appends one record; resolves once it is durable. Concurrent appends share one write + fsync
   * (group commit). Rejects if the journal is closed or failed, or `record` is not serializable.
   */
  append(record: Doc): Promise<void> {
    if (this.closing) return Promise.reject(new Error('journal is closed'));
    let frame: Buffer;
    try {
      frame = encodeRecord(record);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.writer.append(frame);
  }

  /**
   * Bytes appended since the last compact() call (after open: all journal bytes replayed on top of
   * the recovered snapshot). Drops to 0 as soon as compact() is called.
   */
  get journalBytes(): number {
    return this.olderBytes + this.writer.bytes;
  }

  /**
   * Starts a new generation: appends called from now on go to a new journal, and `snapshot` (the
   * state as of this call, as an iterable of BSON documents each well under 16 MB — e.g. one per
   * batch of ~1000 engine documents) is written durably. Resolves once the snapshot is durable and
   * the older generation's files are deleted. On rejection nothing is lost: recovery then replays
   * the previous snapshot and both journals.
   */
  compact(snapshot: Iterable<Doc>): Promise<void> {
    if (this.closing) return Promise.reject(new Error('journal is closed'));
    if (this.writer.failure) return Promise.reject(this.writer.failure);
    const gen = ++this.gen;
    const prev = this.writer;
    this.writer = new GroupCommitWriter(this.openAfter(prev, gen), 0, this.stats);
    this.olderBytes = 0;
    const job = this.compactions.then(() => this.writeGeneration(gen, snapshot, prev));
    this.compactions = job.catch(() => undefined);
    return job;
  }

  /** Flushes pending appends, waits for running compactions, closes files, releases the lock. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.compactions;
      await this.writer.close();
      await this.releaseLock();
    })();
    return this.closing;
  }

  /**
   * The new journal is opened only after the previous one is drained and closed: its first batch
   * then never reaches disk before the last batch of the older file, so a crash leaves a prefix.
   */
  private async openAfter(prev: GroupCommitWriter, gen: number): Promise<FileHandle> {
    await prev.close();
    if (prev.failure) throw prev.failure;
    return openJournalFile(this.dir, gen);
  }

  private async writeGeneration(gen: number, snapshot: Iterable<Doc>, prev: GroupCommitWriter): Promise<void> {
    await writeSnapshot(this.dir, gen, snapshot);
    this.stats.compactions++;
    // Snapshot `gen` is durable: older files are now redundant. Deleting them is not fsynced: if
    // the unlinks are lost in a crash, recovery still picks the newest snapshot and deletes them.
    await prev.close(); // no write may still target a file we are about to delete
    await deleteObsolete(this.dir, gen);
  }
}

/** Opens a journal for appending and makes its directory entry durable before any record is acked. */
async function openJournalFile(dir: string, gen: number): Promise<FileHandle> {
  const fh = await open(join(dir, journalName(gen)), 'a');
  try {
    await fsyncDir(dir);
  } catch (err) {
    await fh.close();
    throw err;
  }
  return fh;
}
