import { copyFile, mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/durability/journal.js';
import { type Doc, silentLogger } from '../../src/types.js';
import { captureLogger, makeTmpDir, removeTmpDirs } from './fixtures/helpers.js';

afterEach(removeTmpDirs);

const chunks = (n: number): Doc[] => Array.from({ length: n }, (_, c) => ({ chunk: c, docs: [{ _id: c, v: 'x' }] }));
const files = async (dir: string) => (await readdir(dir)).sort();
const reopen = (dir: string, log = silentLogger) => Journal.open(dir, log);

async function copyFiles(from: string, to: string, names: string[]): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const name of names) await copyFile(join(from, name), join(to, name));
}

describe('Journal.compact', () => {
  it('recovers the snapshot plus later records and deletes the old generation', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    for (let i = 0; i < 5; i++) await journal.append({ before: i });
    await journal.compact(chunks(3));
    expect(journal.journalBytes).toBe(0);
    await journal.append({ after: 1 });
    await journal.append({ after: 2 });
    expect(journal.stats.compactions).toBe(1);
    await journal.close();
    expect(await files(dir)).toEqual(['journal-000002.log', 'snapshot-000002.bson']);

    const { journal: again, recovered } = await reopen(dir);
    expect(recovered.snapshot).toEqual(chunks(3));
    expect(recovered.records).toEqual([{ after: 1 }, { after: 2 }]);
    await again.compact([]); // an empty snapshot is a valid snapshot (empty database)
    await again.close();
    const { journal: third, recovered: last } = await reopen(dir);
    expect(last).toEqual({ snapshot: [], records: [] });
    await third.close();
  });

  it('puts appends issued after the compact() call into the new journal, even if not awaited', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    const before = Array.from({ length: 100 }, (_, i) => journal.append({ old: i }));
    const compacted = journal.compact([{ state: 'includes old 0..99' }]);
    const after = Array.from({ length: 100 }, (_, i) => journal.append({ seq: i }));
    const overlapping = journal.compact([{ state: 'includes seq 0..99' }]); // queued behind the first
    const last = journal.append({ seq: 100 });
    await Promise.all([...before, compacted, ...after, overlapping, last]);
    await journal.close();
    expect(await files(dir)).toEqual(['journal-000003.log', 'snapshot-000003.bson']);
    const { journal: again, recovered } = await reopen(dir);
    expect(recovered.snapshot).toEqual([{ state: 'includes seq 0..99' }]);
    expect(recovered.records).toEqual([{ seq: 100 }]);
    await again.close();
  });

  it('streams a large multi-chunk snapshot and reads it back', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    const big = Array.from({ length: 100 }, (_, c) => ({
      c,
      docs: Array.from({ length: 1000 }, (_, i) => ({ _id: c * 1000 + i, s: 'v'.repeat(150) })),
    }));
    await journal.compact(big);
    await journal.close();
    const { journal: again, recovered } = await reopen(dir);
    expect(recovered.snapshot).toHaveLength(100);
    expect(recovered.snapshot![99]).toEqual(big[99]);
    await again.close();
  });

  it('rejects when the snapshot cannot be written and loses nothing', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    await journal.append({ n: 1 });
    function* failing(): Generator<Doc> {
      yield { ok: 1 };
      throw new Error('engine failed while iterating');
    }
    await expect(journal.compact(failing())).rejects.toThrow(/engine failed/);
    await journal.append({ n: 2 });
    await journal.close();
    expect(await files(dir)).toEqual(['journal-000001.log', 'journal-000002.log']); // tmp removed
    const { journal: again, recovered } = await reopen(dir);
    expect(recovered).toEqual({ snapshot: null, records: [{ n: 1 }, { n: 2 }] }); // chain of both journals
    await again.close();
  });
});

describe('crash during compaction (files as a crash would leave them)', () => {
  /** Runs gen 1 (records a0,a1) → compact → gen 2 (records b0,b1) and returns both file sets. */
  async function twoGenerations() {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    await journal.append({ a: 0 });
    await journal.append({ a: 1 });
    const gen1 = await makeTmpDir();
    await copyFiles(dir, gen1, ['journal-000001.log']);
    await journal.compact([{ snap: 'a0+a1' }]);
    await journal.append({ b: 0 });
    await journal.append({ b: 1 });
    await journal.close();
    return { gen1, gen2: dir };
  }

  it('ignores and deletes a partial tmp snapshot: old journal + new journal are replayed', async () => {
    const { gen1, gen2 } = await twoGenerations();
    await copyFiles(gen2, gen1, ['journal-000002.log']);
    const full = await readFile(join(gen2, 'snapshot-000002.bson'));
    await writeFile(join(gen1, 'snapshot-000002.bson.tmp'), full.subarray(0, full.length - 10));
    const { journal, recovered } = await reopen(gen1);
    expect(recovered).toEqual({ snapshot: null, records: [{ a: 0 }, { a: 1 }, { b: 0 }, { b: 1 }] });
    expect(await files(gen1)).toEqual(['journal-000001.log', 'journal-000002.log', 'mongod.lock']);
    await journal.append({ b: 2 }); // continues the newest journal
    await journal.compact([{ snap: 'all' }]); // the chain ends at 2, so the next generation is 3
    await journal.close();
    expect(await files(gen1)).toEqual(['journal-000003.log', 'snapshot-000003.bson']);
  });

  it('uses the new snapshot once renamed, and deletes the old generation left behind', async () => {
    const { gen1, gen2 } = await twoGenerations();
    await copyFiles(gen2, gen1, ['journal-000002.log', 'snapshot-000002.bson']);
    const { journal, recovered } = await reopen(gen1);
    expect(recovered).toEqual({ snapshot: [{ snap: 'a0+a1' }], records: [{ b: 0 }, { b: 1 }] });
    await journal.close();
    expect(await files(gen1)).toEqual(['journal-000002.log', 'snapshot-000002.bson']);
  });

  it('accepts a durable snapshot whose new journal was not created yet', async () => {
    const { gen1, gen2 } = await twoGenerations();
    await copyFiles(gen2, gen1, ['snapshot-000002.bson']);
    const { journal, recovered } = await reopen(gen1);
    expect(recovered).toEqual({ snapshot: [{ snap: 'a0+a1' }], records: [] });
    await journal.append({ c: 0 });
    await journal.close();
    const { journal: again, recovered: back } = await reopen(gen1);
    expect(back.records).toEqual([{ c: 0 }]);
    await again.close();
  });

  it('sets later journals aside after a bad record in an earlier one, keeping the chain gap-free', async () => {
    const { gen1, gen2 } = await twoGenerations();
    await copyFiles(gen2, gen1, ['journal-000002.log']);
    await truncate(join(gen1, 'journal-000001.log'), (await stat(join(gen1, 'journal-000001.log'))).size - 1);
    const log = captureLogger();
    const { journal, recovered } = await reopen(gen1, log);
    expect(recovered).toEqual({ snapshot: null, records: [{ a: 0 }] }); // b0, b1 came after the torn a1
    expect(log.warns).toHaveLength(2);
    expect(log.warns[1]).toMatch(/journal-000002\.log aside to journal-000002\.log\.discarded-\d+/);
    await journal.append({ c: 0 });
    const failing = journal.compact((function* () { throw new Error('no snapshot this time'); })());
    await expect(failing).rejects.toThrow(/no snapshot/);
    await journal.append({ c: 1 }); // lands in the new journal-000002.log, right after journal 1
    await journal.close();
    const { journal: again, recovered: back } = await reopen(gen1);
    expect(back.records).toEqual([{ a: 0 }, { c: 0 }, { c: 1 }]);
    await again.close();
  });

  it('refuses to start when a journal generation in the chain is missing', async () => {
    const { gen1, gen2 } = await twoGenerations();
    await copyFiles(gen2, gen1, ['journal-000002.log']);
    await copyFile(join(gen1, 'journal-000002.log'), join(gen1, 'journal-000003.log'));
    await rm(join(gen1, 'journal-000002.log'));
    await expect(reopen(gen1)).rejects.toThrow(/journal-000002\.log is missing/);
    expect(await files(gen1)).toEqual(['journal-000001.log', 'journal-000003.log']); // untouched, lock released
  });

  it('falls back from a damaged snapshot only when older files can still rebuild the state', async () => {
    const { gen1, gen2 } = await twoGenerations();
    await copyFiles(gen2, gen1, ['journal-000002.log', 'snapshot-000002.bson']);
    await writeFile(join(gen1, 'snapshot-000002.bson'), Buffer.from('garbage!'), { flag: 'r+' });
    const log = captureLogger();
    const { journal, recovered } = await reopen(gen1, log);
    expect(recovered).toEqual({ snapshot: null, records: [{ a: 0 }, { a: 1 }, { b: 0 }, { b: 1 }] });
    expect(log.warns.join('\n')).toMatch(/unreadable snapshot.*snapshot-000002\.bson/);
    await journal.close();
    await rm(join(gen2, 'snapshot-000002.bson')); // gen2 has no older files to fall back on
    await writeFile(join(gen2, 'snapshot-000002.bson'), Buffer.from('garbage!'));
    await expect(reopen(gen2)).rejects.toThrow(/cannot recover/);
  });
});
