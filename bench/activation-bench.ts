/**
 * `npm run bench:activation`: 200 product orders submitted at once through the gateway, adapter
 * latency 0, each watched by its own graphql-ws subscription through the gateway. Reports orders/s,
 * submit-to-ACTIVE latency, the delay from a state change (its event time) to its delivery at the
 * subscribing client, and lost or duplicated events. Options: --orders N --runs N
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { Client } from 'graphql-ws';
import { wsClient } from '../gateway/test/helpers/ws-client.js';
import { startStack, type RunningStack } from '../kit/stack.js';
import { graphqlRequest, testConfig } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import { median, percentile } from './load.js';

const { values: args } = parseArgs({ options: { orders: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } });
const ORDERS = Number(args.orders);
const RUNS = Number(args.runs);
const TERMINAL = new Set(['COMPLETED', 'FAILED', 'PARTIAL', 'CANCELLED', 'REJECTED']);

const SUBMIT = `mutation ($customerId: ID!, $key: String!) { submitProductOrder(input: { customerId: $customerId, idempotencyKey: $key,
  items: [{ productOfferingId: "5G_BASIC", action: ADD, characteristics: [{ name: "bandwidth", value: "50Mbps" }] }] }) { id } }`;
const WATCH = `subscription ($id: ID!) { productOrderStateChanged(productOrderId: $id) {
  cursor state previousState at productOrder { id items { service { id activatedAt } } } } }`;

interface Received { cursor: string; state: string; previousState: string | null; at: string; receivedAt: number; activatedAt: string | null }
interface Tracked { id: string; submittedAt: number; events: Received[]; done: Promise<void> }

function track(client: Client, id: string, submittedAt: number): Tracked {
  const events: Received[] = [];
  const done = new Promise<void>((resolve, reject) => {
    const stop = client.subscribe<{ productOrderStateChanged: Omit<Received, 'receivedAt' | 'activatedAt'> & { productOrder: { items: { service: { activatedAt: string | null } | null }[] } } }>({ query: WATCH, variables: { id } }, {
      next: ({ data, errors }) => {
        if (errors?.length) return reject(new Error(errors[0].message));
        const e = data!.productOrderStateChanged;
        events.push({ cursor: e.cursor, state: e.state, previousState: e.previousState, at: e.at, receivedAt: Date.now(), activatedAt: e.productOrder.items[0]?.service?.activatedAt ?? null });
        if (TERMINAL.has(e.state)) {
          stop();
          resolve();
        }
      },
      error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
      complete: () => resolve(),
    });
  });
  return { id, submittedAt, events, done };
}

async function eventCountOf(stack: RunningStack, id: string): Promise<number> {
  const conn = stack.subgraphs.order.conn;
  // The product order's own events (the outbox also holds its service orders' events).
  return conn.db!.collection('events').countDocuments({ productOrderId: id, eventType: { $regex: '^ProductOrder' } });
}

async function run(stack: RunningStack, customers: string[], runNo: number) {
  const clients = Array.from({ length: 8 }, () => wsClient(stack.gateway.url));
  const started = Date.now();
  const tracked = await Promise.all(Array.from({ length: ORDERS }, async (_, i) => {
    const submittedAt = Date.now();
    const res = await graphqlRequest<{ submitProductOrder: { id: string } }>(stack.gateway.url, SUBMIT, { customerId: customers[i % customers.length], key: `bench-${runNo}-${i}` });
    if (!res.data?.submitProductOrder) throw new Error(`submit failed: ${JSON.stringify(res.errors)}`);
    return track(clients[i % clients.length], res.data.submitProductOrder.id, submittedAt);
  }));
  await Promise.all(tracked.map((t) => t.done));
  const elapsed = (Date.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.dispose()));

  const toActive: number[] = [];
  const delays: number[] = [];
  let lost = 0;
  let duplicated = 0;
  let completed = 0;
  for (const t of tracked) {
    const final = t.events.at(-1)!;
    if (final.state === 'COMPLETED') completed += 1;
    if (final.activatedAt) toActive.push(new Date(final.activatedAt).getTime() - t.submittedAt);
    // Live events only: the first one may be replayed history (the order existed before the subscription).
    const firstReceived = t.events[0].receivedAt;
    for (const e of t.events.slice(1)) if (new Date(e.at).getTime() >= firstReceived - 5) delays.push(e.receivedAt - new Date(e.at).getTime());
    const distinct = new Set(t.events.map((e) => e.cursor)).size;
    duplicated += t.events.length - distinct;
    lost += (await eventCountOf(stack, t.id)) - distinct;
  }
  const sort = (xs: number[]) => [...xs].sort((a, b) => a - b);
  return {
    ordersPerSecond: ORDERS / elapsed,
    completed,
    toActiveP50: percentile(sort(toActive), 50),
    toActiveP99: percentile(sort(toActive), 99),
    deliveryP50: percentile(sort(delays), 50),
    deliveryP99: percentile(sort(delays), 99),
    liveEvents: delays.length,
    lost,
    duplicated,
  };
}

const world = generateWorld('small');
const customers = world.customers.filter((c) => c.status === 'ACTIVE').map((c) => c.id);
const config = testConfig({ development: false, activation: { adapterLatencyMs: 0, adapterFailureRate: 0, stepDeadlineMs: 60_000, sagaLeaseMs: 10_000 } });
const stack = await startStack({ config, freePorts: true, seed: 'small', world });
console.log(`bench:activation — ${ORDERS} concurrent orders × ${RUNS} runs, adapter latency 0; ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`);
const rows: Awaited<ReturnType<typeof run>>[] = [];
try {
  await run(stack, customers, 0); // warm-up: JIT, connections, caches
  for (let r = 1; r <= RUNS; r++) {
    const row = await run(stack, customers, r);
    rows.push(row);
    console.log(`run ${r}: ${row.ordersPerSecond.toFixed(1)} orders/s, ${row.completed}/${ORDERS} completed; submit→ACTIVE p50 ${row.toActiveP50} ms p99 ${row.toActiveP99} ms; delivery p50 ${row.deliveryP50} ms p99 ${row.deliveryP99} ms over ${row.liveEvents} live events; lost ${row.lost}, duplicated ${row.duplicated}`);
  }
} finally {
  await stack.stop();
}
const m = (k: keyof (typeof rows)[number]) => median(rows.map((r) => r[k] as number));
console.log(`\nmedian of ${RUNS}: ${m('ordersPerSecond').toFixed(1)} orders/s; submit→ACTIVE p50 ${m('toActiveP50')} ms, p99 ${m('toActiveP99')} ms; delivery p50 ${m('deliveryP50')} ms, p99 ${m('deliveryP99')} ms (target p99 < 50 ms); lost ${rows.reduce((s, r) => s + r.lost, 0)}, duplicated ${rows.reduce((s, r) => s + r.duplicated, 0)} (must be 0)`);
if (rows.some((r) => r.lost || r.duplicated)) process.exitCode = 1;
