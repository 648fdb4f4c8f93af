/**
 * The client side of `npm run bench:activation`, in a worker thread: submits the orders over HTTP
 * to the gateway and watches each through its own graphql-ws subscription (also through the
 * gateway), stamping every event as it arrives. On the stack's event loop the client's requests,
 * JSON parsing and stamping would compete with the product for the same thread, and an event would
 * be stamped only once that loop got round to it: the benchmark would measure its own client.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Client } from 'graphql-ws';
import { wsClient } from '../gateway/test/helpers/ws-client.js';

export interface ClientData {
  url: string;
  orders: number;
  /** ACTIVE customers; orders go to them in turn. */
  customers: string[];
  /** Makes idempotency keys unique per run (a repeated key would answer the earlier order). */
  runNo: number;
  /** graphql-ws connections the subscriptions are spread over. */
  connections: number;
  timeoutMs: number;
}

export interface ReceivedEvent {
  cursor: string;
  state: string;
  previousState: string | null;
  at: string;
  /** ms since epoch, when the client got it. */
  receivedAt: number;
  activatedAt: string | null;
}

export interface OrderReport {
  id: string;
  /** ms since epoch, just before the submit request was sent. */
  submittedAt: number;
  events: ReceivedEvent[];
}

export interface ClientReport {
  orders: OrderReport[];
  /** From the first submission until the last order reached a terminal state (or the timeout). */
  elapsedMs: number;
  /** 'all ended': every subscription ended, normally with a terminal state (the parent checks which did not). */
  ended: 'all ended' | 'timeout';
  /** Submissions the gateway refused or answered with errors (e.g. a subgraph timeout under load): counted, not fatal, so one slow answer does not throw the run away. */
  submitFailures: number;
  firstSubmitFailure?: string;
  /** CPU used by this thread during the run, so the parent can leave it out of the stack's share. */
  clientCpuMs: number;
}

/** `ready` once booted (the parent then samples CPU counters and says `go`), then one `report` or `error`. */
export type FromClient = { type: 'ready' } | { type: 'report'; report: ClientReport } | { type: 'error'; message: string };
export type ToClient = { type: 'go' };

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'PARTIAL', 'CANCELLED', 'REJECTED']);
const SUBMIT = `mutation ($customerId: ID!, $key: String!) { submitProductOrder(input: { customerId: $customerId, idempotencyKey: $key,
  items: [{ productOfferingId: "5G_BASIC", action: ADD, characteristics: [{ name: "bandwidth", value: "50Mbps" }] }] }) { id } }`;
const WATCH = `subscription ($id: ID!) { productOrderStateChanged(productOrderId: $id) {
  cursor state previousState at productOrder { id items { service { id activatedAt } } } } }`;

type Change = Omit<ReceivedEvent, 'receivedAt' | 'activatedAt'> & { productOrder: { items: { service: { activatedAt: string | null } | null }[] } };

/** CPU time (ms) of the calling thread, from /proc (Linux); NaN elsewhere. Sync reads run on this thread, so thread-self is this worker. */
function threadCpuMs(): number {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

const port = parentPort!;
const data = workerData as ClientData;
const post = (message: FromClient) => port.postMessage(message);

async function submit(customerId: string, key: string): Promise<string> {
  const res = await fetch(data.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SUBMIT, variables: { customerId, key } }) });
  const json = (await res.json()) as { data?: { submitProductOrder?: { id: string } }; errors?: unknown };
  if (!json.data?.submitProductOrder) throw new Error(`submit failed (${res.status}): ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return json.data.submitProductOrder.id;
}

/** Resolves when the order's subscription delivered a terminal state (or ended); stop() unsubscribes. */
function track(client: Client, order: OrderReport): { done: Promise<void>; stop: () => void } {
  let stop = () => {};
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<{ productOrderStateChanged: Change }>({ query: WATCH, variables: { id: order.id } }, {
      next: ({ data: d, errors }) => {
        const receivedAt = Date.now();
        if (errors?.length) return reject(new Error(errors[0].message));
        const e = d!.productOrderStateChanged;
        order.events.push({ cursor: e.cursor, state: e.state, previousState: e.previousState, at: e.at, receivedAt, activatedAt: e.productOrder.items[0]?.service?.activatedAt ?? null });
        if (TERMINAL.has(e.state)) {
          stop();
          resolve();
        }
      },
      error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
      complete: () => resolve(),
    });
  });
  return { done, stop: () => stop() };
}

async function runOrders(): Promise<ClientReport> {
  const clients = Array.from({ length: data.connections }, () => wsClient(data.url));
  const cpu0 = threadCpuMs();
  const started = Date.now();
  const orders: OrderReport[] = [];
  const stops: (() => void)[] = [];
  let submitFailures = 0;
  let firstSubmitFailure: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), data.timeoutMs)));
  try {
    // All submitted at once, as before: each subscription starts as soon as its order's id is known.
    const all = Promise.all(Array.from({ length: data.orders }, async (_, i) => {
      const submittedAt = Date.now();
      let id: string;
      try {
        id = await submit(data.customers[i % data.customers.length], `bench-${data.runNo}-${i}`);
      } catch (err) {
        submitFailures += 1;
        firstSubmitFailure ??= err instanceof Error ? err.message : String(err);
        return;
      }
      const order: OrderReport = { id, submittedAt, events: [] };
      orders.push(order);
      const t = track(clients[i % clients.length], order);
      stops.push(t.stop);
      await t.done;
    })).then(() => 'all ended' as const);
    const ended = await Promise.race([all, timedOut]);
    const elapsedMs = Date.now() - started;
    return { orders, elapsedMs, ended, submitFailures, firstSubmitFailure, clientCpuMs: threadCpuMs() - cpu0 };
  } finally {
    clearTimeout(timer);
    stops.forEach((s) => s());
    await Promise.all(clients.map((c) => Promise.resolve(c.dispose()).catch(() => {})));
  }
}

port.once('message', (_: ToClient) => {
  runOrders().then(
    (report) => post({ type: 'report', report }),
    (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.stack ?? err.message : String(err) }),
  );
});
post({ type: 'ready' });
