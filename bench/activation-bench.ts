/**
 * `npm run bench:activation`: 200 product orders submitted at once through the gateway, adapter
 * latency 0, each watched by its own graphql-ws subscription through the gateway. Reports orders/s,
 * submit-to-ACTIVE latency, the delay from a state change (its event time) to its delivery at the
 * subscribing client, and lost or duplicated events. Options: --orders N (200) --runs N (3)
 *
 * Like bench:assurance, it measures the product, not its surroundings: the database runs in a
 * process of its own (db-process.ts) and the client (submissions and subscriptions) in a worker
 * thread (activation-client.ts), so neither shares the stack's event loop.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startStack, type RunningStack } from '../kit/stack.js';
import { testConfig } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import type { World } from '../seed/world.js';
import type { ClientData, ClientReport, FromClient, ToClient } from './activation-client.js';
import { processCpuMs, startDbProcess, withTimeout } from './db-process.js';
import { median, percentile } from './load.js';

const { values: args } = parseArgs({ options: { orders: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } });
const positive = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${args[name]}'`);
  return n;
};
const ORDERS = positive('orders');
const RUNS = positive('runs');
/** Spread of the subscriptions over graphql-ws connections, as before the client moved to a worker. */
const CONNECTIONS = 8;
/** With adapter latency 0 a run takes seconds; a stuck saga must not hang the benchmark for ever. */
const RUN_TIMEOUT_MS = 120_000;
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'PARTIAL', 'CANCELLED', 'REJECTED']);

/** Runs the client in a worker thread; CPU counters are sampled only once it has booted, so tsx's compilation of it is not charged to the stack. */
function runClient(data: ClientData, onStart: () => void): Promise<ClientReport> {
  // The worker is plain TypeScript: it boots through tsx's registration API, like assurance-bench's subscriber.
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./activation-client.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: data });
  return new Promise<ClientReport>((resolve, reject) => {
    worker.on('message', (message: FromClient) => {
      if (message.type === 'ready') {
        onStart();
        worker.postMessage({ type: 'go' } satisfies ToClient);
      } else if (message.type === 'report') resolve(message.report);
      else reject(new Error(`client: ${message.message}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the client worker exited (${code}) without a report`)));
  }).finally(() => void worker.terminate());
}

async function eventCountOf(stack: RunningStack, id: string): Promise<number> {
  const conn = stack.subgraphs.order.conn;
  // The product order's own events (the outbox also holds its service orders' events).
  return conn.db!.collection('events').countDocuments({ productOrderId: id, eventType: { $regex: '^ProductOrder' } });
}

/**
 * Gives the network its seeded free capacity back: every run activates hundreds of services, and
 * without this the later runs would measure orders refused for a full network, not activations.
 */
async function restoreCapacity(stack: RunningStack, world: World): Promise<void> {
  const resources = stack.subgraphs.inventory.conn.db!.collection<{ _id: string }>('resources');
  const ops = world.resources.filter((r) => r.capacity).map((r) => ({ updateOne: { filter: { _id: r.id }, update: { $set: { 'capacity.used': r.capacity!.used } } } }));
  await resources.bulkWrite(ops);
}

async function run(stack: RunningStack, dbPid: number, customers: string[], runNo: number) {
  await restoreCapacity(stack, world);
  let cpu0 = process.cpuUsage();
  let dbCpu0 = NaN;
  const report = await runClient({ url: stack.gateway.url, orders: ORDERS, customers, runNo, connections: CONNECTIONS, timeoutMs: RUN_TIMEOUT_MS }, () => {
    cpu0 = process.cpuUsage();
    dbCpu0 = processCpuMs(dbPid);
  });
  // process.cpuUsage() covers every thread of this process, the client's included: its own share is taken out.
  const cpu = process.cpuUsage(cpu0);
  const stackCpuSeconds = ((cpu.user + cpu.system) / 1000 - report.clientCpuMs) / 1000;
  const dbCpuSeconds = (processCpuMs(dbPid) - dbCpu0) / 1000;

  const toActive: number[] = [];
  const delays: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let completed = 0;
  // Submitted orders whose subscription ended (completed by the server, or cut at the timeout) without a terminal state.
  let unfinished = 0;
  for (const t of report.orders) {
    const final = t.events.at(-1);
    if (final?.state === 'COMPLETED') completed += 1;
    if (!final || !TERMINAL.has(final.state)) unfinished += 1;
    if (final?.activatedAt) toActive.push(new Date(final.activatedAt).getTime() - t.submittedAt);
    // Live events only: the first one may be replayed history (the order existed before the subscription).
    const firstReceived = t.events[0]?.receivedAt ?? Infinity;
    for (const e of t.events.slice(1)) if (new Date(e.at).getTime() >= firstReceived - 5) delays.push(e.receivedAt - new Date(e.at).getTime());
    const distinct = new Set(t.events.map((e) => e.cursor)).size;
    duplicated += t.events.length - distinct;
    lost += (await eventCountOf(stack, t.id)) - distinct;
  }
  const sort = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    ordersPerSecond: ORDERS / (report.elapsedMs / 1000),
    submitted: report.orders.length,
    unfinished,
    submitFailures: report.submitFailures,
    firstSubmitFailure: report.firstSubmitFailure,
    completed,
    ended: report.ended,
    toActiveP50: percentile(sort(toActive), 50),
    toActiveP99: percentile(sort(toActive), 99),
    deliveryP50: percentile(sort(delays), 50),
    deliveryP99: percentile(sort(delays), 99),
    liveEvents: delays.length,
    lost,
    duplicated,
    stackCpuSeconds,
    dbCpuSeconds,
    clientCpuSeconds: report.clientCpuMs / 1000,
    load: loadavg()[0],
  };
}

// Ctrl-C or a kill: exit, so db-process.ts's exit handler stops the database process too.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));

const world = generateWorld('small');
const customers = world.customers.filter((c) => c.status === 'ACTIVE').map((c) => c.id);
const db = await startDbProcess();
let stack: RunningStack | undefined;
const rows: Awaited<ReturnType<typeof run>>[] = [];
try {
  const config = { ...testConfig({ development: false, activation: { adapterLatencyMs: 0, adapterFailureRate: 0, stepDeadlineMs: 60_000, sagaLeaseMs: 10_000 } }), mongodbUri: db.uri };
  stack = await withTimeout(startStack({ config, freePorts: true, seed: 'small', world }), 5 * 60_000, 'starting and seeding the stack');
  console.log(`bench:activation — ${ORDERS} concurrent orders × ${RUNS} runs, adapter latency 0; database process ${db.pid}, client in a worker thread; ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`);
  const warm = await run(stack, db.pid, customers, 0); // warm-up: JIT, connections, caches
  if (warm.submitFailures) console.log(`warm-up: ${warm.submitFailures} submissions failed, first: ${warm.firstSubmitFailure}`);
  for (let r = 1; r <= RUNS; r++) {
    const row = await run(stack, db.pid, customers, r);
    rows.push(row);
    console.log(`run ${r}: ${row.ordersPerSecond.toFixed(1)} orders/s, ${row.completed}/${ORDERS} completed${row.unfinished ? ` (${row.unfinished} subscriptions ended before a terminal state${row.ended === 'timeout' ? ': TIMEOUT, so lost counts events after it too' : ''})` : ''}${row.submitFailures ? ` (${row.submitFailures} submissions FAILED, first: ${row.firstSubmitFailure})` : ''}; submit→ACTIVE p50 ${row.toActiveP50} ms p99 ${row.toActiveP99} ms; delivery p50 ${row.deliveryP50} ms p99 ${row.deliveryP99} ms over ${row.liveEvents} live events; lost ${row.lost}, duplicated ${row.duplicated}; ` +
      `CPU: stack ${row.stackCpuSeconds.toFixed(2)} s, database ${row.dbCpuSeconds.toFixed(2)} s, client ${row.clientCpuSeconds.toFixed(2)} s; load ${row.load.toFixed(2)}`);
  }
} finally {
  if (stack) await withTimeout(stack.stop(), 60_000, 'stopping the stack').catch((err: Error) => console.log(`warning: ${err.message}`));
  await db.stop();
}
const m = (k: keyof (typeof rows)[number]) => median(rows.map((r) => r[k] as number));
console.log(`\nmedian of ${RUNS}: ${m('ordersPerSecond').toFixed(1)} orders/s; submit→ACTIVE p50 ${m('toActiveP50')} ms, p99 ${m('toActiveP99')} ms; delivery p50 ${m('deliveryP50')} ms, p99 ${m('deliveryP99')} ms (target p99 < 50 ms: ${m('deliveryP99') < 50 ? 'MET' : 'MISSED'}); ` +
  `${rows.some((r) => r.submitFailures) ? `submissions failed ${rows.reduce((s, r) => s + r.submitFailures, 0)}; ` : ''}lost ${rows.reduce((s, r) => s + r.lost, 0)}, duplicated ${rows.reduce((s, r) => s + r.duplicated, 0)} (must be 0); CPU per run: stack ${m('stackCpuSeconds').toFixed(2)} s, database ${m('dbCpuSeconds').toFixed(2)} s; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
if (rows.some((r) => r.lost || r.duplicated || r.submitFailures || r.unfinished)) process.exitCode = 1;
// Closed servers can leave driver timers behind for a while; the benchmark has said all it has to say.
process.exit(process.exitCode ?? 0);
