import { calculateObjectSize, Long } from 'bson';
import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';

const MAX_BATCH_BYTES = 16 * 1024 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** A server-side cursor: a source of documents served in batches by getMore. */
export interface CursorSource {
  /** Next batch of at most `limit` documents; may wait (change streams with awaitData). */
  next(limit: number, maxTimeMS: number | undefined): Promise<Doc[]> | Doc[];
  exhausted(): boolean;
  /** Extra fields of the `cursor` reply document (postBatchResumeToken for change streams). */
  extra?(): Doc;
  close?(): void;
}

interface OpenCursor {
  ns: string;
  source: CursorSource;
  sessionKey?: string;
  lastUsed: number;
  busy: boolean;
}

/** Takes documents from `docs` starting at `pos` up to `limit` docs and 16 MB. */
export function takeBatch(docs: Doc[], pos: number, limit: number): Doc[] {
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = pos; i < docs.length && out.length < limit; i++) {
    bytes += calculateObjectSize(docs[i]);
    if (out.length > 0 && bytes > MAX_BATCH_BYTES) break;
    out.push(docs[i]);
  }
  return out;
}

/** A cursor over an already computed result (find, aggregate, list*): snapshot-consistent. */
export function arraySource(docs: Doc[]): CursorSource {
  let pos = 0;
  return {
    next(limit) {
      const batch = takeBatch(docs, pos, limit);
      pos += batch.length;
      return batch;
    },
    exhausted: () => pos >= docs.length,
  };
}

/** Open cursors by id; idle ones are reaped after 10 minutes as in mongod. */
export class CursorStore {
  private readonly open = new Map<number, OpenCursor>();
  private nextId = 1;
  private readonly reaper = setInterval(() => this.reap(), 60_000).unref();

  /**
   * Serves the first batch and registers the cursor if more remains.
   * Returns the `cursor` reply document.
   */
  async first(ns: string, source: CursorSource, batchSize: number, sessionKey?: string, singleBatch = false): Promise<Doc> {
    const firstBatch = await source.next(batchSize, 0);
    let id = 0;
    if (!singleBatch && !source.exhausted()) {
      id = this.nextId++;
      this.open.set(id, { ns, source, sessionKey, lastUsed: Date.now(), busy: false });
    } else source.close?.();
    return { firstBatch, id: Long.fromNumber(id), ns, ...(source.extra?.() ?? {}) };
  }

  async more(id: number, ns: string, batchSize: number | undefined, maxTimeMS: number | undefined): Promise<Doc> {
    const cursor = this.open.get(id);
    if (!cursor) throw new MongoCommandError(ErrorCode.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) throw new MongoCommandError(ErrorCode.Unauthorized, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`);
    if (cursor.busy) throw new MongoCommandError(ErrorCode.CursorInUse, `Cursor id ${id} is already in use`);
    cursor.busy = true;
    try {
      const nextBatch = await cursor.source.next(batchSize && batchSize > 0 ? batchSize : Number.MAX_SAFE_INTEGER, maxTimeMS);
      const done = cursor.source.exhausted();
      if (done) this.kill(id);
      return { nextBatch, id: Long.fromNumber(done ? 0 : id), ns, ...(cursor.source.extra?.() ?? {}) };
    } finally {
      cursor.busy = false;
      cursor.lastUsed = Date.now();
    }
  }

  kill(id: number): boolean {
    const cursor = this.open.get(id);
    if (!cursor) return false;
    cursor.source.close?.();
    return this.open.delete(id);
  }

  killSession(sessionKey: string): void {
    for (const [id, c] of this.open) if (c.sessionKey === sessionKey) this.kill(id);
  }

  private reap(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [id, c] of this.open) if (!c.busy && c.lastUsed < cutoff) this.kill(id);
  }

  closeAll(): void {
    clearInterval(this.reaper);
    for (const id of [...this.open.keys()]) this.kill(id);
  }
}
