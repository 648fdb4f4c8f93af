import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/durability/journal.js';
import { silentLogger } from '../../src/types.js';
import { makeTmpDir, removeTmpDirs } from './fixtures/helpers.js';

afterEach(removeTmpDirs);

describe('Journal append/recover', () => {
  it('recovers appended records in order with BSON types intact', async () => {
    const dir = await makeTmpDir();
    const oid = new ObjectId();
    const at = new Date('2024-01-02T03:04:05.678Z');
    const { journal, recovered } = await Journal.open(dir, silentLogger);
    expect(recovered).toEqual({ snapshot: null, records: [] });
    await journal.append({
      op: 'i',
      doc: {
        _id: oid,
        at,
        price: Decimal128.fromString('1234.5678901234567890'),
        nested: [[1, 'two', { three: [3, [4]] }], []],
        bin: new Binary(Buffer.from([1, 2, 3]), 0),
        big: Long.fromNumber(2 ** 40),
        ts: new Timestamp({ t: 100, i: 2 }),
        re: /ab+c/i,
        nothing: null,
      },
    });
    await Promise.all([journal.append({ op: 'u', n: 1 }), journal.append({ op: 'd', n: 2 })]);
    await journal.close();

    const { journal: again, recovered: back } = await Journal.open(dir, silentLogger);
    expect(back.snapshot).toBeNull();
    expect(back.records.map((r) => r.op)).toEqual(['i', 'u', 'd']);
    const doc = back.records[0].doc as Record<string, unknown>;
    expect(doc._id).toBeInstanceOf(ObjectId);
    expect((doc._id as ObjectId).equals(oid)).toBe(true);
    expect(doc.at).toBeInstanceOf(Date);
    expect((doc.at as Date).getTime()).toBe(at.getTime());
    expect(doc.price).toBeInstanceOf(Decimal128);
    expect(String(doc.price)).toBe('1234.5678901234567890');
    expect(doc.nested).toEqual([[1, 'two', { three: [3, [4]] }], []]);
    expect(doc.bin).toBeInstanceOf(Binary); // promoteBuffers: false
    expect(Buffer.from((doc.bin as Binary).buffer)).toEqual(Buffer.from([1, 2, 3]));
    expect(doc.big).toBe(2 ** 40); // promoteLongs: true
    expect(doc.ts).toBeInstanceOf(Timestamp);
    expect(doc.re).toBeInstanceOf(RegExp); // bsonRegExp: false
    expect(String(doc.re)).toBe('/ab+c/i');
    expect(doc.nothing).toBeNull();
    await again.close();
  });

  it('batches concurrent appends into far fewer fsyncs (group commit)', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    const pending: Promise<void>[] = [];
    for (let wave = 0; wave < 50; wave++) {
      for (let i = 0; i < 100; i++) pending.push(journal.append({ seq: wave * 100 + i, v: 'x'.repeat(50) }));
      await new Promise((r) => setImmediate(r)); // appends arrive over many event-loop turns
    }
    await Promise.all(pending);
    expect(journal.stats.appends).toBe(5000);
    expect(journal.stats.syncs).toBeGreaterThan(0);
    expect(journal.stats.syncs).toBeLessThan(500);
    await journal.close();

    const { journal: again, recovered } = await Journal.open(dir, silentLogger);
    expect(recovered.records.map((r) => r.seq)).toEqual([...Array(5000).keys()]);
    await again.close();
  });

  it('syncs every sequentially awaited append on its own', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    for (let i = 0; i < 50; i++) await journal.append({ i });
    expect(journal.stats.syncs).toBe(50);
    await journal.close();
    const { journal: again, recovered } = await Journal.open(dir, silentLogger);
    expect(recovered.records.map((r) => r.i)).toEqual([...Array(50).keys()]);
    await again.close();
  });

  it('flushes pending appends on close and rejects appends after it', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    const pending = [journal.append({ a: 1 }), journal.append({ a: 2 })];
    await journal.close();
    await expect(Promise.all(pending)).resolves.toBeDefined();
    await expect(journal.append({ a: 3 })).rejects.toThrow(/closed/);
    const { journal: again, recovered } = await Journal.open(dir, silentLogger);
    expect(recovered.records).toEqual([{ a: 1 }, { a: 2 }]);
    await again.close();
  });

  it('tracks journalBytes as the file size and rejects unserializable records', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    expect(journal.journalBytes).toBe(0);
    await journal.append({ x: 'hello' });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    await expect(journal.append(circular)).rejects.toThrow(/circular/i);
    const size = (await stat(join(dir, 'journal-000001.log'))).size;
    expect(journal.journalBytes).toBe(size);
    await journal.close();
    const { journal: again, recovered } = await Journal.open(dir, silentLogger);
    expect(again.journalBytes).toBe(size);
    expect(recovered.records).toEqual([{ x: 'hello' }]);
    await again.close();
  });

  it('round-trips a record larger than bson\'s 17 MiB internal buffer without truncation', async () => {
    const dir = await makeTmpDir();
    const { journal } = await Journal.open(dir, silentLogger);
    const big = 'z'.repeat(18 * 1024 * 1024);
    await journal.append({ big, after: 1 });
    await journal.close();
    const { journal: again, recovered } = await Journal.open(dir, silentLogger);
    expect((recovered.records[0].big as string).length).toBe(big.length);
    expect(recovered.records[0].after).toBe(1);
    await again.close();
    expect((await readdir(dir)).sort()).toEqual(['journal-000001.log']);
  });
});
