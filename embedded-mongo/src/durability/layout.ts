import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * On-disk layout of a dbPath (all names are generation-numbered, 6+ digits, zero-padded):
 *
 *   mongod.lock               pid of the server holding the directory
 *   snapshot-000012.bson      complete snapshot taken when generation 12 started
 *   snapshot-000012.bson.tmp  snapshot being written (never trusted; deleted on open)
 *   journal-000012.log        records appended after snapshot 12 was taken
 *
 * State = newest complete snapshot S (none = empty database, generations start at 1)
 *       + journals S, S+1, ... replayed in order.
 * More than one journal exists only while (or after a crash during) a compaction: the new
 * journal is started before the new snapshot is durable, so the old one is still needed.
 */
export const LOCK_FILE = 'mongod.lock';
const SNAPSHOT_RE = /^snapshot-(\d{6,})\.bson$/;
const JOURNAL_RE = /^journal-(\d{6,})\.log$/;
const TMP_RE = /^snapshot-\d{6,}\.bson\.tmp$/;

const pad = (gen: number) => String(gen).padStart(6, '0');
export const snapshotName = (gen: number) => `snapshot-${pad(gen)}.bson`;
export const journalName = (gen: number) => `journal-${pad(gen)}.log`;
export const tmpSnapshotName = (gen: number) => `${snapshotName(gen)}.tmp`;

/** What a directory listing holds, by kind. Generation lists are sorted ascending. */
export interface DirListing {
  snapshots: number[];
  journals: number[];
  tmpFiles: string[];
}

/** Lists snapshot/journal/tmp files of `dir`; other files are ignored. */
export async function listDir(dir: string): Promise<DirListing> {
  const listing: DirListing = { snapshots: [], journals: [], tmpFiles: [] };
  for (const name of await readdir(dir)) {
    const snap = SNAPSHOT_RE.exec(name);
    const journal = JOURNAL_RE.exec(name);
    if (snap) listing.snapshots.push(Number(snap[1]));
    if (journal) listing.journals.push(Number(journal[1]));
    if (TMP_RE.test(name)) listing.tmpFiles.push(name);
  }
  listing.snapshots.sort((a, b) => a - b);
  listing.journals.sort((a, b) => a - b);
  return listing;
}

/**
 * fsyncs a directory so that creates/renames inside it survive a power loss. A file's own fsync
 * does not (per POSIX) persist its directory entry. Windows cannot open directories: skipped.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Deletes files of generations older than `keepFrom` and all tmp snapshots. Best effort. */
export async function deleteObsolete(dir: string, keepFrom: number): Promise<void> {
  const listing = await listDir(dir);
  const names = [
    ...listing.snapshots.filter((g) => g < keepFrom).map(snapshotName),
    ...listing.journals.filter((g) => g < keepFrom).map(journalName),
    ...listing.tmpFiles,
  ];
  await Promise.all(names.map((name) => rm(join(dir, name), { force: true })));
}
