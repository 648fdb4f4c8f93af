import { link, open, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../types.js';
import { LOCK_FILE } from './layout.js';

/** Directories locked by this process. A lock file naming our own pid but absent from here is
 *  stale: it was left by an earlier process that had the same pid (common in containers). */
const heldByThisProcess = new Set<string>();

/** Releases a lock taken by {@link acquireLock}. */
export type ReleaseLock = () => Promise<void>;

/**
 * Takes `dir/mongod.lock` (containing our pid) exclusively. Throws if a live process holds it;
 * takes over a stale one (dead pid, or unreadable content).
 *
 * Known limit: liveness is judged by pid only, so a stale lock whose pid was reused by an unrelated
 * live process is reported as held (delete the file by hand). Two servers racing to take over the
 * same stale lock in the same millisecond could both succeed; that requires simultaneous starts.
 */
export async function acquireLock(dir: string, log: Logger): Promise<ReleaseLock> {
  const key = await realpath(dir); // the same directory reached through a symlink is the same lock
  const path = join(dir, LOCK_FILE);
  if (heldByThisProcess.has(key)) throw lockedError(dir, path, process.pid);
  heldByThisProcess.add(key); // reserve synchronously: two concurrent open() calls must not both pass
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await createWithContent(path, `${process.pid}\n`)) return () => release(key, path);
      const owner = await readOwner(path);
      if (owner === undefined) continue; // released meanwhile: just retry
      if (owner !== null && owner !== process.pid && isAlive(owner)) throw lockedError(dir, path, owner);
      log.warn(`durability: taking over stale lock ${path} (pid ${owner ?? 'unreadable'} is not running)`);
      await rm(path, { force: true });
    }
    throw new Error(`could not acquire ${path}: another process keeps re-creating it`);
  } catch (err) {
    heldByThisProcess.delete(key);
    throw err;
  }
}

function lockedError(dir: string, path: string, pid: number): Error {
  return new Error(
    `dbPath ${dir} is already in use by a running server (pid ${pid}, lock file ${path}). ` +
      'Stop that server or choose another dbPath.',
  );
}

/**
 * Creates `path` atomically WITH its content (write a private tmp file, then hard-link it into
 * place; link fails if `path` exists), so nobody can observe an empty lock file and mistake it for
 * a stale one. Falls back to O_EXCL create on filesystems without hard links. Returns false if
 * the lock already exists.
 */
async function createWithContent(path: string, content: string): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, content);
  try {
    await link(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    return createExclusive(path, content);
  } finally {
    await rm(tmp, { force: true });
  }
}

async function createExclusive(path: string, content: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx');
    await fh.writeFile(content);
    await fh.close();
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** The pid in the lock file; null if it holds garbage (treated as stale), undefined if gone. */
async function readOwner(path: string): Promise<number | null | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence/permission check only
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** Removes the lock only if it is still ours (never delete a lock someone else took over). */
async function release(key: string, path: string): Promise<void> {
  if ((await readOwner(path)) === process.pid) await rm(path, { force: true });
  heldByThisProcess.delete(key);
}
