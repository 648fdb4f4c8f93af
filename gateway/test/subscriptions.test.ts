import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../kit/testing.js';
import { startGateway, type RunningGateway } from '../gateway.js';
import { startFixture, type Fixture } from './helpers/fixture.js';
import { eventually, watch, wsClient } from './helpers/ws-client.js';

/**
 * The gateway's federated-subscription executor against real subgraphs (HTTP + graphql-ws) built
 * from small SDLs shaped like the product's order API: an order subgraph that streams
 * `productOrderStateChanged`, a customer and an inventory subgraph that the rest of the plan
 * reaches through `_entities`.
 */
const WATCH = `subscription Watch($id: ID!) { productOrderStateChanged(productOrderId: $id) {
  cursor state previousState
  productOrder { id state items { service { id state supportingResources { id name } } } customer { name } } } }`;

type Change = { cursor: string; state: string; previousState: string; productOrder: { id: string; customer: { name: string }; items: { service: { supportingResources: { name: string }[] } }[] } };
const change = (r: { data?: unknown }) => (r.data as { productOrderStateChanged: Change }).productOrderStateChanged;

let fx: Fixture;
let gateway: RunningGateway;
let client: Client;

beforeAll(async () => {
  fx = await startFixture();
  gateway = await startGateway(testConfig(), { port: 0, supergraphSdl: fx.supergraphSdl, urls: fx.urls });
  client = wsClient(gateway.url);
});
// Every test leaves no upstream stream behind; it also keeps one test's teardown out of the next.
afterEach(async () => {
  await eventually(() => fx.openStreams() === 0 && gateway.executor.upstream.active === 0);
});
afterAll(async () => {
  await client?.dispose();
  await gateway?.stop();
  await fx?.stop();
});

/** Subscribes and waits until the order subgraph holds the upstream stream (no replay here). */
async function subscribed(c: Client = client, id = 'PO-1') {
  const before = fx.openStreams();
  const w = watch(c, { query: WATCH, operationName: 'Watch', variables: { id } });
  await eventually(() => fx.openStreams() > before);
  return w;
}

describe('federated subscriptions', () => {
  it('should expand every event across subgraphs and deliver the events in order, exactly once', async () => {
    const w = await subscribed();
    const firstCall = fx.customerFinished.length + 1;
    // The first event's customer fetch is slow, so the second event's expansion finishes first.
    fx.customerDelays.push(300, 0, 0);
    for (const state of ['IN_PROGRESS', 'HELD', 'COMPLETED']) fx.publish('PO-1', state);
    const results = await w.waitFor(3);
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(results.map((r) => change(r).state)).toEqual(['IN_PROGRESS', 'HELD', 'COMPLETED']);
    expect(results.map((r) => change(r).previousState)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'HELD']);
    expect(change(results[0]).productOrder).toEqual({
      id: 'PO-1',
      state: 'COMPLETED',
      items: [{ service: { id: 'svc-1', state: 'ACTIVE', supportingResources: [{ id: 'gNB-001', name: 'gNodeB 001' }] } }],
      customer: { name: 'Customer C-1' },
    });
    expect(fx.customerFinished.indexOf(firstCall + 1)).toBeLessThan(fx.customerFinished.indexOf(firstCall));
    await new Promise((r) => setTimeout(r, 100));
    expect(w.results).toHaveLength(3);
    w.unsubscribe();
  });

  it('should keep the order of a burst of events whose expansions take uneven times', async () => {
    const w = await subscribed();
    const states = Array.from({ length: 40 }, (_, i) => `S${i}`);
    fx.customerDelays.push(...states.map(() => Math.floor(Math.random() * 25)));
    for (const s of states) fx.publish('PO-1', s);
    const results = await w.waitFor(40);
    expect(results.map((r) => change(r).state)).toEqual(states);
    const cursors = results.map((r) => Number(change(r).cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(new Set(cursors).size).toBe(40);
    w.unsubscribe();
  });

  it('should close the upstream subscription when the client unsubscribes', async () => {
    const w = await subscribed();
    expect(gateway.executor.upstream.active).toBe(1);
    w.unsubscribe();
    await eventually(() => fx.openStreams() === 0 && gateway.executor.upstream.active === 0);
    fx.publish('PO-1', 'AFTER_UNSUBSCRIBE');
    await new Promise((r) => setTimeout(r, 100));
    expect(w.results).toHaveLength(0);
  });

  it('should close the upstream subscription when the client disconnects', async () => {
    const other = wsClient(gateway.url);
    await subscribed(other);
    await other.dispose();
    await eventually(() => fx.openStreams() === 0 && gateway.executor.upstream.active === 0);
  });

  it('should answer bad subscriptions with error messages and keep the socket usable', async () => {
    const live = await subscribed();
    // From here on the client must not need a new socket: errors do not close it.
    let connects = 0;
    const off = client.on('connected', () => connects++);
    const bad = [
      watch(client, { query: 'subscription { productOrderStateChanged(productOrderId: "PO-1") { nope } }' }),
      watch(client, { query: WATCH }),
      watch(client, { query: 'subscription {' }),
    ];
    const endings = await Promise.all(bad.map((b) => b.ended));
    const messages = endings.map((e) => (e.kind === 'error' ? (e.error as { message: string }[])[0].message : 'completed'));
    expect(messages[0]).toMatch(/Cannot query field "nope"/);
    expect(messages[1]).toMatch(/Variable "\$id" of required type "ID!" was not provided/);
    expect(messages[2]).toMatch(/Syntax Error/);
    fx.publish('PO-1', 'STILL_LIVE');
    expect(change((await live.waitFor(1))[0]).state).toBe('STILL_LIVE');
    expect(connects).toBe(0);
    expect(gateway.subscriptions.clients).toBe(1);
    live.unsubscribe();
    off();
  });

  it("should forward a subgraph's refusal as the subscription's error", async () => {
    const w = watch(client, { query: WATCH, variables: { id: 'REFUSED' } });
    expect(await w.ended).toEqual({ kind: 'error', error: [{ message: 'not allowed to watch this order', extensions: { code: 'FORBIDDEN', serviceName: 'order' } }] });
  });

  it("should pass on the subgraph's error for an unknown order, then complete", async () => {
    const w = watch(client, { query: WATCH, variables: { id: 'PO-404' } });
    expect(await w.ended).toEqual({ kind: 'complete' });
    expect(w.results).toHaveLength(1);
    expect(w.results[0].data ?? null).toBeNull();
    expect(w.results[0].errors).toMatchObject([{ message: "product order 'PO-404' not found", extensions: { code: 'NOT_FOUND', serviceName: 'order' } }]);
  });

  it('should run queries sent over the socket through the gateway', async () => {
    const w = watch(client, { query: '{ productOrder(id: "PO-1") { id customer { name } } }' });
    expect(await w.ended).toEqual({ kind: 'complete' });
    expect(w.results[0].data).toEqual({ productOrder: { id: 'PO-1', customer: { name: 'Customer C-1' } } });
  });

  it('should shape aliases, fragments and __typename exactly like a query', async () => {
    const w = watch(client, {
      query: `subscription { changes: productOrderStateChanged(productOrderId: "PO-1") { ...Change __typename } }
        fragment Change on ProductOrderStateChange { state productOrder { buyer: customer { who: name } } }`,
    });
    await eventually(() => fx.openStreams() === 1);
    fx.publish('PO-1', 'SHAPED');
    const [result] = await w.waitFor(1);
    expect(result).toEqual({ data: { changes: { state: 'SHAPED', productOrder: { buyer: { who: 'Customer C-1' } }, __typename: 'ProductOrderStateChange' } } });
    w.unsubscribe();
  });

  it('should fail subscriptions with an error naming the subgraph when it goes away', async () => {
    const w = await subscribed();
    await fx.order.stop();
    const ending = await w.ended;
    expect(ending.kind).toBe('error');
    expect((ending as { error: { message: string; extensions: unknown }[] }).error[0]).toMatchObject({
      message: expect.stringContaining("subgraph 'order'"),
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'order' },
    });
    const later = watch(client, { query: WATCH, variables: { id: 'PO-1' } });
    const refused = await later.ended;
    expect(JSON.stringify(refused)).toMatch(/subgraph 'order' is unavailable/);
    expect(gateway.executor.upstream.active).toBe(0);
  });
});
