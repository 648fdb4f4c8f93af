import { open, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Doc, Logger } from '../types.js';
import { scanRecords } from './framing.js';
import { deleteObsolete, type DirListing, journalName, listDir, snapshotName } from './layout.js';
import { readSnapshot } from './snapshot.js';

/** What the engine gets back from {@link Journal.open}. */
export interface RecoveredState {
  /** Chunks of the newest complete snapshot, in the order they were given to compact(); null if none. */
  snapshot: Doc[] | null;
  /** Records appended after that snapshot was taken, in append order. */
  records: Doc[];
}

/** Recovery result plus where the journal continues. */
export interface Recovery {
  state: RecoveredState;
  /**
   * Generation of the journal new records are appended to: the last one of the chain. Every file
   * of a higher generation has been deleted or moved aside, so the next compaction uses +1 and
   * the chain stays gap-free.
   */
  activeGen: number;
  /** Size of that journal after recovery (a bad tail has been cut off). */
  activeBytes: number;
  /** Bytes in the chain's earlier journals (left over from a compaction that did not finish). */
  olderBytes: number;
}

/**
 * Rebuilds state from `dir`: newest readable snapshot + every later journal in generation order.
 * Replay stops at the first bad record (torn, CRC mismatch, undecodable): record boundaries after
 * it are unknowable, and later records may depend on the lost one. That journal is truncated there
 * (one warning naming file and offset) and any later journal is renamed aside as `.discarded-*`.
 */
export async function recover(dir: string, log: Logger): Promise<Recovery> {
  const listing = await listDir(dir);
  const { base, snapshot, damaged } = await chooseSnapshot(dir, listing, log);
  const start = Math.max(base, 1); // generation 1 has no snapshot: the database started empty
  let chain = journalChain(dir, listing, start, base);
  const records: Doc[] = [];
  const sizes: number[] = [];
  for (let i = 0; i < chain.length; i++) {
    const path = join(dir, journalName(chain[i]));
    const scan = await scanRecords(path, (doc) => records.push(doc));
    sizes.push(scan.validEnd);
    if (!scan.bad) continue;
    log.warn(
      `durability: ${path}: bad record at offset ${scan.validEnd} (${scan.bad}); ` +
        `truncating, ${scan.fileSize - scan.validEnd} bytes discarded`,
    );
    await truncateDurably(path, scan.validEnd);
    await setAside(dir, chain.slice(i + 1), log);
    chain = chain.slice(0, i + 1);
    break;
  }
  await deleteObsolete(dir, start); // older generations and tmp snapshots of an interrupted compaction
  for (const gen of damaged) await setAsideFile(dir, snapshotName(gen), 'corrupt', log);
  return {
    state: { snapshot, records },
    activeGen: chain.length > 0 ? chain[chain.length - 1] : start,
    activeBytes: sizes.length > 0 ? sizes[sizes.length - 1] : 0,
    olderBytes: sizes.slice(0, -1).reduce((a, b) => a + b, 0),
  };
}

/** Newest snapshot that reads back completely; damaged newer ones are reported (and skipped). */
async function chooseSnapshot(dir: string, listing: DirListing, log: Logger) {
  const damaged: number[] = [];
  for (const gen of [...listing.snapshots].reverse()) {
    try {
      return { base: gen, snapshot: await readSnapshot(dir, gen), damaged };
    } catch (err) {
      log.warn(`durability: ignoring unreadable snapshot: ${(err as Error).message}`);
      damaged.push(gen);
    }
  }
  return { base: 0, snapshot: null, damaged };
}

/** Journals from `start` on; they must be consecutive or records would be silently missing. */
function journalChain(dir: string, listing: DirListing, start: number, base: number): number[] {
  const chain = listing.journals.filter((gen) => gen >= start);
  chain.forEach((gen, i) => {
    if (gen !== start + i) {
      const what = base > 0 ? `snapshot ${snapshotName(base)}` : 'an empty database (no readable snapshot)';
      throw new Error(
        `cannot recover ${dir}: starting from ${what}, ${journalName(start + i)} is missing ` +
          `but ${journalName(gen)} exists; refusing to start with silently missing writes`,
      );
    }
  });
  return chain;
}

/** Cuts a bad tail off; fsynced so a crash cannot resurrect garbage in front of new appends. */
async function truncateDurably(path: string, length: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(length);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** Journals after a bad record cannot be replayed; keep non-empty ones for forensics. */
async function setAside(dir: string, gens: number[], log: Logger): Promise<void> {
  for (const gen of gens) {
    const name = journalName(gen);
    if ((await stat(join(dir, name))).size === 0) await rm(join(dir, name), { force: true });
    else await setAsideFile(dir, name, 'discarded', log);
  }
}

async function setAsideFile(dir: string, name: string, why: string, log: Logger): Promise<void> {
  const target = `${name}.${why}-${Date.now()}`;
  await rename(join(dir, name), join(dir, target));
  log.warn(`durability: moved ${join(dir, name)} aside to ${target} (${why})`);
}
