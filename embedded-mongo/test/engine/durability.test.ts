import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startEmbeddedMongo } from '../../index.js';
import { silentLogger } from '../../src/types.js';
import { tempDir, usingRealMongo } from '../helpers/server.js';

const CRASH_WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

async function withServer<T>(dbPath: string, fn: (client: MongoClient) => Promise<T>): Promise<T> {
  const server = await startEmbeddedMongo({ dbPath, log: silentLogger });
  const client = await new MongoClient(server.uri).connect();
  try {
    return await fn(client);
  } finally {
    await client.close();
    await server.stop();
  }
}

describe.skipIf(usingRealMongo)('durability with a dbPath', () => {
  it('should keep data, indexes and change-stream history across a restart', async () => {
    const dir = tempDir();
    try {
      const token = await withServer(dir.path, async (client) => {
        const c = client.db('keep').collection('items');
        await c.createIndex({ sku: 1 }, { unique: true });
        const stream = c.watch();
        const next = stream.next();
        await new Promise((r) => setTimeout(r, 50));
        await c.insertOne({ sku: 'A', n: 1 });
        const first = await next;
        await c.insertOne({ sku: 'B', n: 2 });
        await stream.close();
        return first._id;
      });
      await withServer(dir.path, async (client) => {
        const c = client.db('keep').collection('items');
        expect(await c.find({}, { projection: { _id: 0 } }).sort({ sku: 1 }).toArray()).toEqual([{ sku: 'A', n: 1 }, { sku: 'B', n: 2 }]);
        await expect(c.insertOne({ sku: 'A' })).rejects.toMatchObject({ code: 11000 });
        const resumed = c.watch([], { resumeAfter: token });
        const ev = await resumed.next();
        await resumed.close();
        expect((ev as unknown as { fullDocument: { sku: string } }).fullDocument.sku).toBe('B');
      });
    } finally {
      dir.remove();
    }
  });

  it('should keep every acknowledged write when the writing process is SIGKILLed', async () => {
    const dir = tempDir();
    try {
      const acked = await runAndKill(dir.path, 1500);
      expect(acked.size).toBeGreaterThan(50);
      await withServer(dir.path, async (client) => {
        const docs = await client.db('crash').collection('writes').find({}, { projection: { i: 1, updated: 1 } }).toArray();
        const stored = new Set(docs.map((d) => d.i as number));
        const missing = [...acked].filter((i) => !stored.has(i));
        expect(missing).toEqual([]);
        // updates acknowledged before their ack line survived too
        for (const d of docs) if ((d.i as number) % 7 === 0 && acked.has(d.i as number)) expect(d.updated).toBe(true);
      });
    } finally {
      dir.remove();
    }
  });
});

/** Runs the crash writer, kills it with SIGKILL after `ms` of writing; returns acked numbers. */
function runAndKill(dbPath: string, ms: number): Promise<Set<number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CRASH_WRITER, dbPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acked = new Set<number>();
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), ms);
        else if (line.startsWith('ack ')) acked.add(Number(line.slice(4)));
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited without being killed (${signal})`))));
  });
}
