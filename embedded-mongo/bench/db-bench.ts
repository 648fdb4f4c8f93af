/**
 * `npm run bench:db`: throughput and scaling of the embedded server through the official
 * driver. Not a test: prints numbers (median of several runs) for the closing notes. The
 * server runs in its own process (as `npm run db` would), so client and server do not share
 * one event loop, and its peak RSS is read from /proc.
 *
 *   inserts/s (batched, single), finds by _id/s, finds by indexed field/s, a 10k-doc $group,
 *   time of an indexed find at 10^3..10^6 documents (must stay flat), peak RSS.
 *   BENCH_MAX_DOCS caps the scaling series (default 1e6).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { MongoClient, type Collection } from 'mongodb';

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The embedded server as a separate process, in memory. */
async function startServerProcess(): Promise<{ uri: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--memory', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.once('exit', () => reject(new Error('server process exited')));
  });
  return { uri: `mongodb://127.0.0.1:${port}/?directConnection=true`, child };
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set size of a process (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

function doc(i: number) {
  // ~500 bytes as BSON
  return { i, key: `key-${i}`, name: `customer number ${i}`, segment: i % 3 ? 'CONSUMER' : 'ENTERPRISE', tier: ['BRONZE', 'SILVER', 'GOLD'][i % 3], balance: i * 1.5, note: 'n'.repeat(330), at: new Date(1_700_000_000_000 + i) };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function parallel(n: number, concurrency: number, op: (k: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await op(next++);
  }));
}

async function load(c: Collection, n: number, from = 0): Promise<void> {
  for (let i = from; i < n; i += 1000) await c.insertMany(Array.from({ length: Math.min(1000, n - i) }, (_, k) => doc(i + k)), { ordered: false });
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const client = await new MongoClient(server.uri, { maxPoolSize: 20 }).connect();
  const db = client.db('bench');
  const results: Record<string, string> = {};

  const batched: number[] = [];
  const single: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const c = db.collection(`ins${r}`);
    batched.push(20_000 / ((await timed(() => load(c, 20_000))) / 1000));
    single.push(2_000 / ((await timed(() => parallel(2_000, 16, (k) => c.insertOne(doc(100_000 + k))))) / 1000));
    await c.drop();
  }
  results['inserts/s batched (1000/batch)'] = median(batched).toFixed(0);
  results['inserts/s single (16 concurrent)'] = median(single).toFixed(0);

  const main = db.collection('main');
  await load(main, 100_000);
  await main.createIndex({ key: 1 });
  const ids = (await main.find({}, { projection: { _id: 1 } }).limit(10_000).toArray()).map((d) => d._id);
  const byId: number[] = [];
  const byKey: number[] = [];
  const group: number[] = [];
  const serverCpuPerFind: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const cpu0 = cpuSeconds(server.child.pid!);
    byId.push(10_000 / ((await timed(() => parallel(10_000, 16, (k) => main.findOne({ _id: ids[k] })))) / 1000));
    serverCpuPerFind.push(((cpuSeconds(server.child.pid!) - cpu0) / 10_000) * 1e6);
    byKey.push(10_000 / ((await timed(() => parallel(10_000, 16, (k) => main.findOne({ key: `key-${(k * 7919) % 100_000}` })))) / 1000));
    group.push(await timed(() => main.aggregate([{ $match: { i: { $lt: 10_000 } } }, { $group: { _id: '$tier', total: { $sum: '$balance' }, n: { $sum: 1 } } }]).toArray()));
  }
  results['finds by _id/s (100k docs, 16 concurrent)'] = median(byId).toFixed(0);
  // On 2 cores the driver's own CPU per findOne bounds the end-to-end rate; this is the server's share.
  results['server CPU per find by _id (µs)'] = median(serverCpuPerFind).toFixed(0);
  results['server capacity, finds by _id/s per core'] = (1e6 / median(serverCpuPerFind)).toFixed(0);
  results['finds by indexed field/s'] = median(byKey).toFixed(0);
  results['$group over 10k docs (ms)'] = median(group).toFixed(1);

  // The memory target is for 10^6 documents alone: start the scaling series on an empty server.
  await db.dropDatabase();
  const maxDocs = Number(process.env.BENCH_MAX_DOCS ?? 1_000_000);
  const scale = db.collection('scale');
  await scale.createIndex({ key: 1 });
  let loaded = 0;
  for (const size of [1e3, 1e4, 1e5, 1e6].filter((s) => s <= maxDocs)) {
    await load(scale, size, loaded);
    loaded = size;
    const samples: number[] = [];
    for (let r = 0; r < 200; r++) samples.push(await timed(() => scale.findOne({ key: `key-${(r * 104_729) % size}` })));
    results[`indexed find at ${size.toExponential(0)} docs (median ms)`] = median(samples).toFixed(3);
  }
  results[`server peak RSS (MiB), whole run incl. ${maxDocs} docs`] = peakRssMiB(server.child.pid!).toFixed(0);
  await client.close();
  server.child.kill('SIGTERM');
  console.table(results);
}

await main();
