import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraph } from '../../../kit/subgraph.js';
import { graphqlRequest, testConfig } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { startStackUnderTest, type StackUnderTest } from '../../../test/helpers/stack.js';
import { OrderEventFeed } from '../event-feed.js';
import { OrderEventHub } from '../event-hub.js';
import { subgraph } from '../index.js';
import type { Models } from '../models.js';
import { recordStateChange, runOrderTransaction, type ProductOrderState } from '../outbox.js';
import { Recorder, wsClient } from './ws-recorder.js';

/**
 * `productOrderStateChanged` served by the order subgraph itself over graphql-ws, fed by the
 * outbox: state changes are made the way orchestration will make them (`recordStateChange`).
 */
const world = generateWorld('small');
let sut: StackUnderTest;
let orderUrl: string;
let models: Models;
let client: Client;
let keys = 0;

beforeAll(async () => {
  sut = await startStackUnderTest(world);
  orderUrl = sut.stack.subgraphs.order.url;
  // The running subgraph's own models (createModels returns those already bound to its connection).
  models = subgraph.createModels(sut.stack.subgraphs.order.conn);
  client = wsClient(orderUrl);
});
afterAll(async () => {
  await client?.dispose();
  await sut?.stop();
});

interface Change {
  productOrderStateChanged: { cursor: string; state: string; previousState: string | null; at: string; productOrder: { id: string; state: string } };
}

const WATCH = `subscription ($id: ID!, $after: String) { productOrderStateChanged(productOrderId: $id, after: $after) {
  cursor state previousState at productOrder { id state } } }`;

const recorders: Recorder<Change>[] = [];
afterEach(() => {
  for (const r of recorders.splice(0)) r.unsubscribe();
});

function watch(id: string, after?: string, on: Client = client): Recorder<Change> {
  const r = new Recorder<Change>(on, WATCH, { id, after });
  recorders.push(r);
  return r;
}

const transitions = (r: Recorder<Change>) => r.events.map((e) => [e.productOrderStateChanged.previousState, e.productOrderStateChanged.state]);

async function submitOrder(customerId = 'CUST-789', idempotencyKey = `watch-${++keys}`): Promise<string> {
  const res = await graphqlRequest<{ submitProductOrder: { id: string } }>(orderUrl, `mutation ($input: SubmitProductOrderInput!) { submitProductOrder(input: $input) { id } }`, {
    input: { customerId, idempotencyKey, items: [{ productOfferingId: '5G_PREMIUM', action: 'ADD', characteristics: [{ name: 'bandwidth', value: '1Gbps' }] }] },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.submitProductOrder.id;
}

const move = (id: string, state: ProductOrderState, from?: ProductOrderState[]) =>
  runOrderTransaction(models, (session) => recordStateChange(models, session, id, state, { from }));

describe('productOrderStateChanged: replay and live', () => {
  it('should replay an order’s whole history from ACKNOWLEDGED, then deliver a change live', async () => {
    const id = await submitOrder();
    await move(id, 'IN_PROGRESS');
    const r = watch(id);
    await r.count(2);
    expect(transitions(r)).toEqual([[null, 'ACKNOWLEDGED'], ['ACKNOWLEDGED', 'IN_PROGRESS']]);

    await move(id, 'COMPLETED');
    await r.count(3);
    expect(transitions(r)).toEqual([[null, 'ACKNOWLEDGED'], ['ACKNOWLEDGED', 'IN_PROGRESS'], ['IN_PROGRESS', 'COMPLETED']]);
    // Each event shows the order as it is when delivered, not as the first event cached it.
    expect(r.events[2].productOrderStateChanged.productOrder).toEqual({ id, state: 'COMPLETED' });
    expect(new Set(r.events.map((e) => e.productOrderStateChanged.cursor)).size).toBe(3);
  });

  it('should resume after a cursor with no gap and no duplicate', async () => {
    const id = await submitOrder();
    const first = watch(id);
    await first.count(1);
    const cursor = first.events[0].productOrderStateChanged.cursor;
    first.unsubscribe();

    // Missed while away.
    await move(id, 'IN_PROGRESS');
    await move(id, 'HELD');
    const resumed = watch(id, cursor);
    await resumed.count(2);
    await move(id, 'IN_PROGRESS');
    await resumed.count(3);
    expect(transitions(resumed)).toEqual([['ACKNOWLEDGED', 'IN_PROGRESS'], ['IN_PROGRESS', 'HELD'], ['HELD', 'IN_PROGRESS']]);

    // Resuming from the newest cursor replays nothing and still goes live.
    const latest = watch(id, resumed.events[2].productOrderStateChanged.cursor);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(latest.events).toEqual([]);
    await move(id, 'COMPLETED');
    await latest.count(1);
    expect(transitions(latest)).toEqual([['IN_PROGRESS', 'COMPLETED']]);
  });

  it('should deliver every version exactly once in order when changes race the replay→live handover', async () => {
    const id = await submitOrder();
    const states: ProductOrderState[] = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'IN_PROGRESS' : 'HELD'));
    // Subscribers join while the changes are being written: each one's replay ends and its live
    // stream begins somewhere in the middle.
    const writing = (async () => {
      for (const state of states) await move(id, state);
    })();
    const watchers = [watch(id)];
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      watchers.push(watch(id));
    }
    await writing;
    for (const w of watchers) {
      await w.count(states.length + 1);
      expect(w.events.map((e) => e.productOrderStateChanged.state)).toEqual(['ACKNOWLEDGED', ...states]);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const w of watchers) expect(w.events).toHaveLength(states.length + 1);
  });
});

describe('productOrderStateChanged: refusals', () => {
  it('should answer an unknown order with a NOT_FOUND error message and keep the socket usable', async () => {
    const unknown = watch('PO-NOPE');
    await unknown.until((r) => r.errors !== undefined);
    expect(unknown.errors).toEqual([expect.objectContaining({ message: "product order 'PO-NOPE' does not exist", extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    expect(unknown.events).toEqual([]);

    // Same client, same socket: the next subscription works.
    const id = await submitOrder();
    const ok = watch(id);
    await ok.count(1);
    expect(ok.events[0].productOrderStateChanged.state).toBe('ACKNOWLEDGED');
  });

  it('should answer a malformed or invalid document with an error message each time it is sent, on a socket that stays usable', async () => {
    const refusal = async (query: string) => {
      const r = new Recorder<Change>(client, query, { id: 'PO-000001' });
      recorders.push(r);
      await r.until((x) => x.errors !== undefined);
      expect(r.events).toEqual([]);
      return r.errors?.[0]?.message;
    };
    const invalid = `subscription ($id: ID!) { productOrderStateChanged(productOrderId: $id) { nope } }`;
    // Twice: a document that failed validation must not be remembered as a valid one.
    expect(await refusal(invalid)).toMatch(/Cannot query field "nope"/);
    expect(await refusal(invalid)).toMatch(/Cannot query field "nope"/);
    expect(await refusal('subscription { productOrderStateChanged(')).toMatch(/Syntax Error/);

    const id = await submitOrder();
    const ok = watch(id);
    await ok.count(1);
    expect(ok.events[0].productOrderStateChanged.productOrder.id).toBe(id);
  });

  it('should refuse a cursor of another order as BAD_USER_INPUT naming `after`', async () => {
    const [a, b] = [await submitOrder(), await submitOrder()];
    const onA = watch(a);
    await onA.count(1);
    const wrong = watch(b, onA.events[0].productOrderStateChanged.cursor);
    await wrong.until((r) => r.errors !== undefined);
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
    const garbage = watch(b, 'not-a-cursor');
    await garbage.until((r) => r.errors !== undefined);
    expect(garbage.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });
});

describe('productOrderStateChanged over HTTP', () => {
  it('should be refused with a 400 that points at graphql-ws', async () => {
    const res = await graphqlRequest(orderUrl, WATCH, { id: 'PO-000001' });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringContaining('graphql-ws'), extensions: { code: 'BAD_REQUEST' } });
  });
});

describe('productOrderStateChanged: resources', () => {
  it('should share one change stream among all subscriptions and close it when the last client unsubscribes or disconnects', async () => {
    const id = await submitOrder();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = OrderEventFeed.active;
    expect(before, 'no other subscription is open at this point').toBe(0);
    const unsubscribed = watch(id);
    await unsubscribed.count(1);
    const other = wsClient(orderUrl);
    const disconnected = watch(id, undefined, other);
    await disconnected.count(1);
    expect(OrderEventFeed.active).toBe(before + 2);
    expect(OrderEventHub.active).toBe(1);

    unsubscribed.unsubscribe();
    await other.dispose();
    const deadline = Date.now() + 5000;
    while (OrderEventFeed.active > before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(OrderEventFeed.active).toBe(before);
    expect(OrderEventHub.active).toBe(0);
  });
});

describe('productOrderStateChanged: subscriptions opened together', () => {
  it('should share the reads of the orders and their histories instead of reading once per subscription', async () => {
    // REJECTED orders: one event each, nothing running on them.
    const suspended = world.customers.find((c) => c.status === 'SUSPENDED')!;
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => submitOrder(suspended.id, `together-${i}`)));
    // An API-only instance of its own, so its connection carries nothing but these subscriptions' reads.
    const instance = await startSubgraph(subgraph, testConfig({ backgroundWork: false }), sut.stack.mongoUri, 0, { log: () => {} });
    const finds = { events: 0, productOrders: 0 };
    instance.conn.getClient().on('commandStarted', (e) => {
      if (e.commandName === 'find' && e.command.find in finds) finds[e.command.find as keyof typeof finds] += 1;
    });
    const on = wsClient(instance.url);
    try {
      const watchers = ids.map((id) => watch(id, undefined, on));
      for (const [i, w] of watchers.entries()) {
        await w.count(1);
        expect(w.events[0].productOrderStateChanged).toMatchObject({ state: 'REJECTED', productOrder: { id: ids[i], state: 'REJECTED' } });
      }
      // One subscription alone reads its order twice (does it exist, the event's order) and its history once.
      expect(finds.events).toBeLessThan(ids.length / 4);
      expect(finds.productOrders).toBeLessThan(ids.length / 2);
    } finally {
      await on.dispose();
      await instance.stop();
    }
  });
});

describe('recordStateChange', () => {
  it('should write the state and its event in one transaction: an aborted transaction leaves neither', async () => {
    const id = await submitOrder();
    await expect(runOrderTransaction(models, async (session) => {
      await recordStateChange(models, session, id, 'IN_PROGRESS');
      throw new Error('saga step failed after the change');
    })).rejects.toThrow('saga step failed');
    const order = await models.ProductOrder.findById(id).lean();
    expect(order).toMatchObject({ state: 'ACKNOWLEDGED', version: 1 });
    expect(await models.OrderEvent.countDocuments({ productOrderId: id })).toBe(1);
  });

  it('should number events previous + 1, refuse an unexpected current state and record nothing for the same state', async () => {
    const id = await submitOrder();
    const event = await move(id, 'IN_PROGRESS', ['ACKNOWLEDGED']);
    expect(event).toMatchObject({ _id: `${id}:2`, version: 2, eventType: 'ProductOrderStateChangeEvent', state: 'IN_PROGRESS', previousState: 'ACKNOWLEDGED' });
    await expect(move(id, 'COMPLETED', ['ACKNOWLEDGED'])).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await move(id, 'IN_PROGRESS')).toBeNull();
    expect(await models.OrderEvent.countDocuments({ productOrderId: id })).toBe(2);
    await expect(move('PO-NOPE', 'COMPLETED')).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('should start the history of a seeded order (no events yet) at version 1', async () => {
    const seeded = await models.ProductOrder.findOne({ state: 'IN_PROGRESS', version: { $exists: false } }).lean();
    const r = watch(seeded!._id);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.events).toEqual([]);
    const event = await move(seeded!._id, 'COMPLETED');
    expect(event).toMatchObject({ version: 1, eventType: 'ProductOrderStateChangeEvent', previousState: 'IN_PROGRESS' });
    await r.count(1);
    expect(transitions(r)).toEqual([['IN_PROGRESS', 'COMPLETED']]);
  });
});
