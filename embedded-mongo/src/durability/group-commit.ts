import type { FileHandle } from 'node:fs/promises';

/** Counters exposed for tests and monitoring. */
export interface JournalStats {
  /** Records accepted by append(). */
  appends: number;
  /** Journal write+fdatasync rounds; each one acknowledges a whole batch. */
  syncs: number;
  /** Snapshots made durable by compact(). */
  compactions: number;
}

/** The error every append gets once the journal is poisoned by a failed write or fsync. */
export class JournalFailedError extends Error {
  constructor(cause: Error) {
    super(`journal write failed, no further writes are accepted: ${cause.message}`, { cause });
  }
}

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
}

/**
 * Group commit onto one journal file. Frames appended while the file is idle are collected until
 * the next event-loop turn (setImmediate: appends from all I/O callbacks of the same poll phase
 * join the batch); frames appended while a write+fsync is running form the next batch. Exactly
 * one batch is in flight at a time, so on-disk order = append order and a crash leaves a prefix.
 *
 * Any write/fsync error poisons the writer: after a failed fsync the kernel may have dropped the
 * dirty pages, so nothing later can be promised durable. All pending and future appends reject.
 */
export class GroupCommitWriter {
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing = false;
  private drained: Promise<void> = Promise.resolve();
  private closing: Promise<void> | null = null;
  /** Set once a write or fsync failed (or the file could not be opened). */
  failure: Error | null = null;

  /**
   * @param handle resolves once the file may be written; for a rotated journal it first waits for
   *   the previous journal to drain, which keeps the global record order across files.
   * @param bytes current file size (bytes of records already in it).
   */
  constructor(
    private readonly handle: Promise<FileHandle>,
    public bytes: number,
    private readonly stats: JournalStats,
  ) {
    handle.catch((err: Error) => this.fail(err, [])); // surfaced through append(), never unhandled
  }

  /** Queues an encoded frame; resolves once it is written and fdatasync'ed. */
  append(frame: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error('journal is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push(frame);
      this.waiters.push({ resolve, reject });
      this.bytes += frame.length;
      this.stats.appends++;
      if (!this.flushing) {
        this.flushing = true; // set synchronously: later appends this tick join the same batch
        this.drained = new Promise<void>((r) => setImmediate(r)).then(() => this.drain());
      }
    });
  }

  /** Flushes what is queued, then closes the file. Idempotent; never rejects. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.drained;
      const fh = await this.handle.catch(() => null);
      await fh?.close().catch(() => undefined);
    })();
    return this.closing;
  }

  private async drain(): Promise<void> {
    try {
      const fh = await this.handle;
      while (this.queue.length > 0 && !this.failure) {
        const frames = this.queue;
        const waiters = this.waiters;
        this.queue = [];
        this.waiters = [];
        try {
          await writeAll(fh, frames.length === 1 ? frames[0] : Buffer.concat(frames));
          // fdatasync also persists the file size (needed to read the data back) but skips mtime.
          await fh.datasync();
          this.stats.syncs++;
        } catch (err) {
          this.fail(err as Error, waiters);
          return;
        }
        for (const w of waiters) w.resolve();
      }
    } catch (err) {
      this.fail(err as Error, []);
    } finally {
      // Runs in the same job as the final empty-queue check: no append can slip in between.
      this.flushing = false;
    }
  }

  private fail(err: Error, inFlight: Waiter[]): void {
    this.failure ??= err instanceof JournalFailedError ? err : new JournalFailedError(err); // inherited from a predecessor as is
    const all = [...inFlight, ...this.waiters];
    this.queue = [];
    this.waiters = [];
    for (const w of all) w.reject(this.failure);
  }
}

/** write() may write less than asked (e.g. near ENOSPC); loop until all bytes are written. */
export async function writeAll(fh: FileHandle, buf: Buffer): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done);
    if (bytesWritten <= 0) throw new Error('write made no progress');
    done += bytesWritten;
  }
}
