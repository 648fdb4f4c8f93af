import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Doc } from '../types.js';
import { encodeRecord, scanRecords } from './framing.js';
import { writeAll } from './group-commit.js';
import { fsyncDir, snapshotName, tmpSnapshotName } from './layout.js';

/**
 * Snapshot file = framed records (same framing as the journal):
 *   header  { $embeddedMongoSnapshot: 'header', format: 1, generation, createdAt }
 *   chunk*  the engine's documents, verbatim, in iteration order
 *   end     { $embeddedMongoSnapshot: 'end', count: <number of chunks> }
 * A file is only trusted if it parses cleanly to the end and the end marker's count matches, so
 * a half-written file can never pass for a snapshot (tmp files are never even read).
 */
const MARKER = '$embeddedMongoSnapshot';
const FORMAT = 1;
/** Frames are gathered into writes of about this size: one syscall per chunk would be slow. */
const WRITE_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Writes snapshot `gen` durably: tmp file → fsync → rename → fsync(dir). Only after the directory
 * fsync is the rename (and so the snapshot) guaranteed to survive a power loss. On failure the tmp
 * file is removed and the error rethrown; existing files are untouched.
 */
export async function writeSnapshot(dir: string, gen: number, chunks: Iterable<Doc>): Promise<void> {
  const tmp = join(dir, tmpSnapshotName(gen));
  try {
    const fh = await open(tmp, 'w');
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const push = async (frame: Buffer, force = false) => {
        pending.push(frame);
        pendingBytes += frame.length;
        if (pendingBytes < WRITE_BUFFER_BYTES && !force) return;
        await writeAll(fh, Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      };
      await push(encodeRecord({ [MARKER]: 'header', format: FORMAT, generation: gen, createdAt: new Date() }));
      let count = 0;
      for (const chunk of chunks) {
        await push(encodeRecord(chunk));
        count++;
      }
      await push(encodeRecord({ [MARKER]: 'end', count }), true);
      await fh.sync(); // data + metadata must be on disk BEFORE the rename makes the file visible
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, snapshotName(gen)));
    await fsyncDir(dir);
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Reads snapshot `gen` and returns its chunks; throws if the file is damaged or incomplete. */
export async function readSnapshot(dir: string, gen: number): Promise<Doc[]> {
  const path = join(dir, snapshotName(gen));
  const docs: Doc[] = [];
  const scan = await scanRecords(path, (doc) => docs.push(doc));
  if (scan.bad) throw new Error(`snapshot ${path} is damaged at offset ${scan.validEnd}: ${scan.bad}`);
  const header = docs.shift();
  const end = docs.pop();
  if (header?.[MARKER] !== 'header' || header.format !== FORMAT) {
    throw new Error(`snapshot ${path} has no valid header (format ${String(header?.format)})`);
  }
  if (end?.[MARKER] !== 'end' || end.count !== docs.length) {
    throw new Error(`snapshot ${path} is incomplete: missing or wrong end marker`);
  }
  return docs;
}
