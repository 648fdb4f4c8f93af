import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/durability/journal.js';
import { captureLogger, makeTmpDir, removeTmpDirs, sleep, spawnWriter } from './fixtures/helpers.js';

afterEach(removeTmpDirs);

/**
 * A real child process appends (and maybe compacts) until SIGKILL. Every seq it printed had been
 * acknowledged, so it must be recovered; and what is recovered must be a gap-free prefix 0..n-1,
 * since records reach the disk in append order.
 */
async function crashAndRecover(mode: 'append' | 'compact', dir?: string, runMs = 1000) {
  dir ??= await makeTmpDir();
  const writer = spawnWriter(dir, mode);
  await writer.ready;
  await sleep(runMs);
  writer.child.kill('SIGKILL');
  await writer.exited;
  const acked = writer.lines.map(Number);

  const log = captureLogger();
  const { journal, recovered } = await Journal.open(dir, log);
  const fromSnapshot = (recovered.snapshot ?? []).flatMap((chunk) => chunk.seqs as number[]);
  const seqs = [...fromSnapshot, ...recovered.records.map((r) => r.seq as number)];
  await journal.close();
  return { acked, seqs, recovered, log };
}

const maxOf = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), -1);

describe('crash safety (SIGKILL of a writing process)', () => {
  it('recovers every acknowledged append as a gap-free prefix', async () => {
    const { acked, seqs } = await crashAndRecover('append');
    expect(acked.length).toBeGreaterThan(500);
    expect(seqs).toEqual([...Array(seqs.length).keys()]);
    expect(seqs.length).toBeGreaterThanOrEqual(maxOf(acked) + 1);
    expect(new Set(acked).size).toBe(acked.length);
  });

  it('recovers every acknowledged append while compactions run concurrently', async () => {
    const { acked, seqs, recovered } = await crashAndRecover('compact');
    expect(acked.length).toBeGreaterThan(500);
    expect(recovered.snapshot).not.toBeNull(); // compactions did happen before the kill
    expect(seqs).toEqual([...Array(seqs.length).keys()]);
    expect(seqs.length).toBeGreaterThanOrEqual(maxOf(acked) + 1);
  });

  it('survives repeated crashes of the compacting writer on the same directory', async () => {
    const dir = await makeTmpDir();
    let previous = 0;
    for (let round = 0; round < 6; round++) {
      // Varying run times move the kill across compaction phases (snapshot write, rename, cleanup).
      const { seqs, acked } = await crashAndRecover('compact', dir, 200 + Math.random() * 500);
      expect(acked.reduce((a, b) => Math.min(a, b))).toBe(previous); // the child continued right after the recovered prefix
      expect(seqs).toEqual([...Array(seqs.length).keys()]);
      expect(seqs.length).toBeGreaterThanOrEqual(maxOf(acked) + 1);
      previous = seqs.length;
    }
  });
});
