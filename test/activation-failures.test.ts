import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsClient } from '../gateway/test/helpers/ws-client.js';
import { connectDatabase } from '../kit/db.js';
import { createAdapterModels, type SagaStep } from '../subgraphs/order/activation/adapters/index.js';
import { generateWorld } from '../seed/generate.js';
import { injectFault, settledOrder, submitOrder, until, watchUntilSettled } from './helpers/activation.js';
import { startStackUnderTest, type StackUnderTest } from './helpers/stack.js';

/**
 * What goes wrong on the way to activation: a failure at any saga step is compensated (capacity
 * back, network configuration rolled back), fails the order, never bills and is told to the
 * customer's CRM record; a step past its deadline raises a jeopardy alert first; an order can be
 * cancelled while in progress.
 */
const world = generateWorld('small');
const DEADLINE_MS = 1500;
let app: StackUnderTest;
let client: Client;

beforeAll(async () => {
  app = await startStackUnderTest(world, { activation: { adapterLatencyMs: 2, adapterFailureRate: 0, stepDeadlineMs: DEADLINE_MS, sagaLeaseMs: 2_000 } });
  client = wsClient(app.gatewayUrl);
});
afterAll(async () => {
  await client?.dispose();
  await app?.stop();
});

type Capacity = { total: number; used: number };
async function capacityOf(id: string): Promise<Capacity> {
  const res = await app.query<{ resource: { capacity: Capacity } }>(`query ($id: ID!) { resource(id: $id) { capacity { total used } } }`, { id });
  return res.data!.resource.capacity;
}
const usedOnSeedResources = async () => Promise.all(['gNB-001', 'slice-5g-001'].map(async (id) => (await capacityOf(id)).used));

async function chargesFor(serviceId: string): Promise<number> {
  const res = await app.query<{ customer: { billingAccount: { charges: { edges: { node: { service: { id: string } | null } }[] } } } }>(
    `{ customer(id: "CUST-789") { billingAccount { charges(first: 100) { edges { node { service { id } } } } } } }`,
  );
  return res.data!.customer.billingAccount.charges.edges.filter((e) => e.node.service?.id === serviceId).length;
}

/** The CRM notes (their descriptions) a CSR sees on the customer about the order. */
async function notesAbout(orderId: string): Promise<string[]> {
  const res = await app.query<{ customer: { interactions: { edges: { node: { description: string; relatedEntity: { id: string }[] } }[] } } }>(
    `{ customer(id: "CUST-789") { interactions(first: 100) { edges { node { description relatedEntity { id } } } } } }`,
  );
  return res.data!.customer.interactions.edges.filter((e) => e.node.relatedEntity.some((r) => r.id === orderId)).map((e) => e.node.description);
}

async function networkConfigsOf(serviceOrderId: string): Promise<{ state: string }[]> {
  const conn = await connectDatabase(app.stack.mongoUri, 'order');
  try {
    return await createAdapterModels(conn).NetworkElementConfig.find({ _id: { $regex: `^${serviceOrderId}/` } }).lean();
  } finally {
    await conn.close();
  }
}

describe('a failure at any step of the saga', () => {
  const steps: SagaStep[] = ['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION'];
  it.each(steps)('should compensate and fail the order, without a charge, when %s fails', async (step) => {
    const key = `fail-at-${step}`;
    await injectFault(app.stack.mongoUri, { id: key, externalId: key, step });
    const before = await usedOnSeedResources();
    const id = await submitOrder(app, key);
    const { list, w } = await watchUntilSettled(client, id);
    w.unsubscribe();
    expect(list.map((c) => c.state)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'FAILED']);
    const order = await settledOrder(app, id);
    expect(order.items[0].state).toBe('FAILED');
    const [so] = order.serviceOrders;
    expect(so.state).toBe('FAILED');
    expect(so.errorMessages).toEqual([expect.objectContaining({ code: 'INJECTED_FAULT', message: expect.stringContaining(step.toLowerCase()) })]);
    // Nothing of the attempt stays behind: capacity returned, configuration removed, no active service.
    expect(await usedOnSeedResources()).toEqual(before);
    for (const c of await networkConfigsOf(so.id)) expect(c.state).toBe('ROLLED_BACK');
    const serviceId = so.items[0].serviceId;
    if (serviceId) {
      const svc = await app.query<{ service: { state: string } }>(`query ($id: ID!) { service(id: $id) { state } }`, { id: serviceId });
      expect(svc.data!.service.state).not.toBe('ACTIVE');
      expect(await chargesFor(serviceId)).toBe(0);
    }
    // The CSR reads why, without opening the service order.
    await until(async () => (await notesAbout(id)).length === 1, 10_000, 'CRM note about the failed order');
    expect(await notesAbout(id)).toEqual([`Order ${id} failed; item 1 failed: ${so.errorMessages[0].message}.`]);
  });

  it('should raise a jeopardy alert, then fail the item, when a step overruns its deadline', async () => {
    const key = 'slow-configuration';
    await injectFault(app.stack.mongoUri, { id: key, externalId: key, step: 'CONFIGURATION', effect: 'DELAY', delayMs: DEADLINE_MS * 3 });
    const before = await usedOnSeedResources();
    const id = await submitOrder(app, key);
    const order = await settledOrder(app, id, 20_000);
    expect(order.state).toBe('FAILED');
    const [so] = order.serviceOrders;
    expect(so.jeopardyAlerts.length).toBeGreaterThanOrEqual(1);
    expect(so.errorMessages.length).toBeGreaterThanOrEqual(1);
    expect(await usedOnSeedResources()).toEqual(before);
  });
});

describe('cancellation', () => {
  const CANCEL = `mutation ($id: ID!) { cancelProductOrder(input: { productOrderId: $id, reason: "customer changed their mind" }) { id state } }`;

  it('should cancel an order in progress through assessingCancellation and pendingCancellation, compensating what was done', async () => {
    const key = 'cancel-me';
    await injectFault(app.stack.mongoUri, { id: key, externalId: key, step: 'ACTIVATION', effect: 'DELAY', delayMs: DEADLINE_MS / 2 });
    const before = await usedOnSeedResources();
    const id = await submitOrder(app, key);
    await until(async () => (await app.query<{ productOrder: { state: string } }>(`query ($id: ID!) { productOrder(id: $id) { state } }`, { id })).data?.productOrder.state === 'IN_PROGRESS');
    const res = await app.query(CANCEL, { id });
    expect(res.errors).toBeUndefined();
    const { list, w } = await watchUntilSettled(client, id);
    w.unsubscribe();
    const states = list.map((c) => c.state);
    expect(states.at(-1)).toBe('CANCELLED');
    expect(states).toEqual(expect.arrayContaining(['ASSESSING_CANCELLATION', 'PENDING_CANCELLATION']));
    expect(states.indexOf('ASSESSING_CANCELLATION')).toBeLessThan(states.indexOf('PENDING_CANCELLATION'));
    expect(await usedOnSeedResources()).toEqual(before);
    const order = await settledOrder(app, id);
    const serviceId = order.serviceOrders[0]?.items[0]?.serviceId;
    if (serviceId) expect(await chargesFor(serviceId)).toBe(0);
    await until(async () => (await notesAbout(id)).length === 1, 10_000, 'CRM note about the cancelled order');
    expect(await notesAbout(id)).toEqual([`Order ${id} cancelled: customer changed their mind.`]);
  });

  it('should refuse to cancel a completed order and leave it COMPLETED', async () => {
    const id = await submitOrder(app, 'too-late-to-cancel', { bandwidth: '100Mbps' });
    expect((await settledOrder(app, id)).state).toBe('COMPLETED');
    const res = await app.query(CANCEL, { id });
    expect(res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect((await settledOrder(app, id)).state).toBe('COMPLETED');
  });

  it('should name the field when the cancellation names no order', async () => {
    const res = await app.query(`mutation { cancelProductOrder(input: { productOrderId: "" }) { id } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(res.errors?.[0]?.message).toContain('productOrderId');
  });
});
