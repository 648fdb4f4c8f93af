import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serialize } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/durability/journal.js';
import { silentLogger } from '../../src/types.js';
import { captureLogger, makeTmpDir, removeTmpDirs } from './fixtures/helpers.js';

afterEach(removeTmpDirs);

const record = (i: number) => ({ i, text: `record number ${i}` });
const frameSize = (i: number) => 8 + serialize(record(i)).length;

/** Writes records 0..n-1 and returns the journal path and the offset of the last record. */
async function journalWith(n: number): Promise<{ dir: string; path: string; lastOffset: number; size: number }> {
  const dir = await makeTmpDir();
  const { journal } = await Journal.open(dir, silentLogger);
  await Promise.all(Array.from({ length: n }, (_, i) => journal.append(record(i))));
  await journal.close();
  const path = join(dir, 'journal-000001.log');
  const size = (await stat(path)).size;
  return { dir, path, size, lastOffset: size - frameSize(n - 1) };
}

async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[offset] ^= 0xff;
  await writeFile(path, bytes);
}

describe('recovery from a damaged journal tail', () => {
  const damages: Array<[string, (path: string, size: number, last: number) => Promise<void>]> = [
    ['truncated inside the last payload', (p, size) => truncate(p, size - 3)],
    ['truncated inside the last header', (p, _s, last) => truncate(p, last + 5)],
    ['a flipped byte in the last payload', (p, size) => flipByte(p, size - 4)],
    ['a flipped byte in the last checksum', (p, _s, last) => flipByte(p, last + 5)],
    ['a garbled length field', (p, _s, last) => flipByte(p, last + 3)],
    ['zero-filled garbage after the last record', (p, size) => writeFile(p, Buffer.alloc(64), { flag: 'a' })],
  ];

  it.each(damages)('%s: keeps earlier records, warns once, truncates, accepts new appends', async (name, damage) => {
    const { dir, path, size, lastOffset } = await journalWith(10);
    await damage(path, size, lastOffset);
    const keptAll = name.startsWith('zero-filled');
    const goodEnd = keptAll ? size : lastOffset;

    const log = captureLogger();
    const { journal, recovered } = await Journal.open(dir, log);
    expect(recovered.records).toEqual(Array.from({ length: keptAll ? 10 : 9 }, (_, i) => record(i)));
    expect(log.warns).toHaveLength(1);
    expect(log.warns[0]).toContain(path);
    expect(log.warns[0]).toContain(`offset ${goodEnd}`);
    expect((await stat(path)).size).toBe(goodEnd); // cut off, so new appends follow good data
    expect(journal.journalBytes).toBe(goodEnd);

    await journal.append(record(100));
    await journal.append(record(101));
    await journal.close();
    const log2 = captureLogger();
    const { journal: again, recovered: back } = await Journal.open(dir, log2);
    expect(back.records.map((r) => r.i)).toEqual([...Array(keptAll ? 10 : 9).keys(), 100, 101]);
    expect(log2.warns).toEqual([]);
    await again.close();
  });

  it('stops at a corrupt record in the middle: later records are not trusted and are cut off', async () => {
    const { dir, path } = await journalWith(10);
    const offsetOf3 = [0, 1, 2].reduce((sum, i) => sum + frameSize(i), 0);
    await flipByte(path, offsetOf3 + 12); // inside record 3's payload; records 4..9 are intact

    const log = captureLogger();
    const { journal, recovered } = await Journal.open(dir, log);
    expect(recovered.records).toEqual([record(0), record(1), record(2)]);
    expect(log.warns).toHaveLength(1);
    expect(log.warns[0]).toMatch(new RegExp(`journal-000001\\.log: bad record at offset ${offsetOf3} \\(checksum mismatch\\)`));
    expect((await stat(path)).size).toBe(offsetOf3);
    await journal.close();
  });

  it('recovers an empty or header-only journal file', async () => {
    const { dir, path } = await journalWith(1);
    await truncate(path, 2);
    const log = captureLogger();
    const { journal, recovered } = await Journal.open(dir, log);
    expect(recovered.records).toEqual([]);
    expect(log.warns[0]).toContain('offset 0');
    expect((await stat(path)).size).toBe(0);
    await journal.close();
  });
});
