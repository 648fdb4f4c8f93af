import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubscriptionPlanner } from '../gateway/subscriptions/planner.js';
import { eventually, watch, wsClient, type Watch } from '../gateway/test/helpers/ws-client.js';
import { composeSupergraph } from '../schema/compose.js';
import { generateWorld } from '../seed/generate.js';
import { startStackUnderTest, type StackUnderTest } from './helpers/stack.js';

/**
 * The product's own order subscription through the gateway's federated-subscription executor:
 * events stream from the order subgraph, every event is expanded across customer and inventory.
 * Runs once the order subgraph's SDL has the subscription and the submit mutation.
 */
const api = new SubscriptionPlanner(composeSupergraph()).schema;
const ready = Boolean(api.getSubscriptionType()?.getFields().productOrderStateChanged && api.getMutationType()?.getFields().submitProductOrder);

const SUBMIT = `mutation Submit($key: String!) { submitProductOrder(input: {
  customerId: "CUST-789", idempotencyKey: $key,
  items: [{ productOfferingId: "5G_PREMIUM", action: ADD, characteristics: [{ name: "bandwidth", value: "1Gbps" }] }] }) { id state } }`;

const WATCH = `subscription Watch($id: ID!, $after: String) { productOrderStateChanged(productOrderId: $id, after: $after) {
  cursor state previousState at
  productOrder { id state items { service { id state supportingResources { id name } } } customer { name } } } }`;

const TERMINAL = ['COMPLETED', 'FAILED', 'PARTIAL', 'REJECTED', 'CANCELLED'];

type Change = { cursor: string; state: string; previousState: string | null; at: string; productOrder: { id: string; customer: { name: string }; items: { service: { id: string } | null }[] } };
const changes = (w: Watch) => w.results.map((r) => (r.data as { productOrderStateChanged: Change }).productOrderStateChanged);

const world = generateWorld('small');
let app: StackUnderTest;
let client: Client;

beforeAll(async () => {
  if (!ready) return;
  app = await startStackUnderTest(world);
  client = wsClient(app.gatewayUrl);
});
afterAll(async () => {
  await client?.dispose();
  await app?.stop();
});

async function submit(key: string): Promise<string> {
  const res = await app.query<{ submitProductOrder: { id: string; state: string } }>(SUBMIT, { key });
  expect(res.errors).toBeUndefined();
  return res.data!.submitProductOrder.id;
}

/** Waits until the order reached a terminal state or its events stopped coming for `quietMs`. */
async function settled(w: Watch, quietMs = 1500, timeoutMs = 20_000): Promise<Change[]> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  let since = Date.now();
  for (;;) {
    const list = changes(w);
    if (list.some((c) => TERMINAL.includes(c.state))) return list;
    if (list.length !== seen) (seen = list.length), (since = Date.now());
    if (Date.now() - since >= quietMs || Date.now() > deadline) return list;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(ready)('order state changes through the gateway', () => {
  it('should replay then stream every change of a submitted order, expanded across subgraphs, in order and exactly once', async () => {
    const id = await submit('gw-subscription-1');
    const w = watch(client, { query: WATCH, operationName: 'Watch', variables: { id } });
    const list = await settled(w);
    expect(w.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(list[0]).toMatchObject({ state: 'ACKNOWLEDGED', previousState: null });
    // Each change leaves the state the previous one entered: no gap, no duplicate, no reordering.
    list.slice(1).forEach((c, i) => expect(c.previousState).toBe(list[i].state));
    expect(new Set(list.map((c) => c.cursor)).size).toBe(list.length);
    const customerName = world.customers.find((c) => c.id === 'CUST-789')!.name;
    for (const c of list) expect(c.productOrder).toMatchObject({ id, customer: { name: customerName } });
    // Once inventory has created the service, it is expanded from there too (supporting resources).
    const services = list.flatMap((c) => c.productOrder.items.map((i) => i.service)).filter((s) => s !== null);
    for (const s of services) expect(s).toMatchObject({ id: expect.any(String), state: expect.any(String), supportingResources: expect.any(Array) });

    // A later subscriber gets the same history; resuming after the first cursor gets the rest.
    const replay = watch(client, { query: WATCH, variables: { id } });
    await replay.waitFor(list.length, 10_000);
    expect(changes(replay).slice(0, list.length).map((c) => [c.cursor, c.state])).toEqual(list.map((c) => [c.cursor, c.state]));
    const resumed = watch(client, { query: WATCH, variables: { id, after: list[0].cursor } });
    if (list.length > 1) await resumed.waitFor(list.length - 1, 10_000);
    else await new Promise((r) => setTimeout(r, 300));
    expect(changes(resumed).slice(0, list.length - 1).map((c) => c.cursor)).toEqual(list.slice(1).map((c) => c.cursor));
    expect(changes(resumed).map((c) => c.cursor)).not.toContain(list[0].cursor);
    for (const s of [w, replay, resumed]) s.unsubscribe();
    await eventually(() => app.stack.gateway.executor.upstream.active === 0);
  });

  it('should answer a bad subscription with an error and keep the socket usable', async () => {
    const id = await submit('gw-subscription-2');
    const live = watch(client, { query: WATCH, variables: { id } });
    await live.waitFor(1, 10_000);
    const badField = watch(client, { query: `subscription { productOrderStateChanged(productOrderId: "${id}") { nope } }` });
    expect(await badField.ended).toMatchObject({ kind: 'error', error: [{ message: expect.stringMatching(/Cannot query field "nope"/) }] });
    const unknown = watch(client, { query: WATCH, variables: { id: 'PO-DOES-NOT-EXIST' } });
    const ending = await unknown.ended;
    // The subgraph may refuse with an `error` message or a `next` with errors; both reach the client.
    const errors = ending.kind === 'error' ? (ending.error as { extensions?: { code?: string } }[]) : unknown.results.flatMap((r) => r.errors ?? []);
    expect(errors[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(app.stack.gateway.subscriptions.clients).toBe(1);
    expect(live.results.length).toBeGreaterThan(0);
    live.unsubscribe();
    await eventually(() => app.stack.gateway.executor.upstream.active === 0);
  });
});
