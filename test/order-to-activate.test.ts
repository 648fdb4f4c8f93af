import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watch, wsClient } from '../gateway/test/helpers/ws-client.js';
import { generateWorld } from '../seed/generate.js';
import { orderChanges, settledOrder, submitOrder, until, watchUntilSettled, type OrderDetails } from './helpers/activation.js';
import { startStackUnderTest, type StackUnderTest } from './helpers/stack.js';

/**
 * The seed document's exchange, end to end through the gateway: a 5G_PREMIUM order for CUST-789
 * goes from BSS to OSS and back — service active on its resources, billing from `activatedAt`,
 * charging told the rating group, a CRM note — observed over a real graphql-ws subscription.
 */
const world = generateWorld('small');
let app: StackUnderTest;
let client: Client;

beforeAll(async () => {
  app = await startStackUnderTest(world, { activation: { ...testActivation() } });
  client = wsClient(app.gatewayUrl);
});
afterAll(async () => {
  await client?.dispose();
  await app?.stop();
});

function testActivation() {
  return { adapterLatencyMs: 5, adapterFailureRate: 0, stepDeadlineMs: 10_000, sagaLeaseMs: 2_000 };
}

const BILLING = `query Billing($customerId: ID!) { customer(id: $customerId) { billingAccount { id
  charges(first: 100) { edges { node { chargeType startDate state price { amount currency } service { id } productOffering { id } } } } } } }`;
type ChargeNode = { chargeType: string; startDate: string; state: string; price: { amount: number; currency: string }; service: { id: string } | null; productOffering: { id: string } | null };

async function chargesOf(customerId: string, serviceId: string): Promise<ChargeNode[]> {
  const res = await app.query<{ customer: { billingAccount: { charges: { edges: { node: ChargeNode }[] } } } }>(BILLING, { customerId });
  expect(res.errors).toBeUndefined();
  return res.data!.customer.billingAccount.charges.edges.map((e) => e.node).filter((c) => c.service?.id === serviceId);
}

const INTERACTIONS = `query Notes($customerId: ID!) { customer(id: $customerId) { interactions(first: 50) { edges { node { reason description createdAt relatedEntity { id } } } } } }`;
type Note = { reason: string; description: string | null; createdAt: string; relatedEntity: { id: string }[] };
async function notesAbout(customerId: string, orderId: string): Promise<Note[]> {
  const res = await app.query<{ customer: { interactions: { edges: { node: Note }[] } } }>(INTERACTIONS, { customerId });
  expect(res.errors).toBeUndefined();
  return res.data!.customer.interactions.edges.map((e) => e.node).filter((n) => n.relatedEntity.some((r) => r.id === orderId));
}

describe('order to activate, end to end through the gateway', () => {
  let orderId: string;
  let completed: OrderDetails;

  it('should take the order from ACKNOWLEDGED through IN_PROGRESS to COMPLETED, each change once and in order, expanded across subgraphs', async () => {
    orderId = await submitOrder(app, 'seed-document-exchange');
    const { w, list } = await watchUntilSettled(client, orderId);
    expect(w.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(list.map((c) => c.state)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED']);
    expect(list[0].previousState).toBeNull();
    list.slice(1).forEach((c, i) => expect(c.previousState).toBe(list[i].state));
    const done = list.at(-1)!.productOrder;
    expect(done.customer).toEqual({ id: 'CUST-789', name: world.customers.find((c) => c.id === 'CUST-789')!.name });
    const service = done.items[0].service!;
    expect(service).toMatchObject({ state: 'ACTIVE', activatedAt: expect.any(String) });
    // The seed document: the new service runs on the customer's gNB and slice.
    expect(service.supportingResources.map((r) => r.id).sort()).toEqual(['gNB-001', 'slice-5g-001']);
    expect(new Date(service.activatedAt!).getTime()).toBeGreaterThanOrEqual(new Date(list[0].at).getTime());
    w.unsubscribe();
    completed = await settledOrder(app, orderId);
  });

  it('should complete the TMF641 service order that built the service', () => {
    expect(completed.serviceOrders).toHaveLength(1);
    const [so] = completed.serviceOrders;
    expect(so).toMatchObject({ state: 'COMPLETED', errorMessages: [], jeopardyAlerts: [] });
    expect(so.items).toEqual([expect.objectContaining({ state: 'COMPLETED', serviceId: completed.items[0].service!.id })]);
  });

  it('should show on the order item the activatedAt inventory holds, for the new order and for seeded ones', async () => {
    // The order path answers activatedAt itself (@provides): it must agree with inventory's own answer.
    const seeded = world.productOrders.find((o) => o.items.some((i) => i.serviceId === 'svc-5g-001'))!;
    for (const id of [orderId, seeded.id]) {
      const viaOrder = await app.query<{ productOrder: { items: { service: { id: string; activatedAt: string | null } | null }[] } }>(
        'query ($id: ID!) { productOrder(id: $id) { items { service { id activatedAt } } } }', { id });
      expect(viaOrder.errors).toBeUndefined();
      for (const { service } of viaOrder.data!.productOrder.items.filter((i) => i.service)) {
        const viaInventory = await app.query<{ service: { activatedAt: string | null } }>('query ($id: ID!) { service(id: $id) { activatedAt } }', { id: service!.id });
        expect(service!.activatedAt).not.toBeNull();
        expect(service!.activatedAt).toBe(viaInventory.data!.service.activatedAt);
      }
    }
  });

  it('should stream the service order through serviceOrderStateChanged, replayed from its start', async () => {
    const soId = completed.serviceOrders[0].id;
    const query = `subscription ($id: ID!, $after: String) { serviceOrderStateChanged(serviceOrderId: $id, after: $after) {
      cursor state previousState serviceOrder { id state productOrder { id state } } } }`;
    const w = watch(client, { query, variables: { id: soId } });
    await until(() => w.results.some((r) => (r.data as { serviceOrderStateChanged?: { state: string } })?.serviceOrderStateChanged?.state === 'COMPLETED'), 10_000);
    const list = w.results.map((r) => (r.data as { serviceOrderStateChanged: { cursor: string; state: string; previousState: string | null; serviceOrder: { productOrder: { id: string } } } }).serviceOrderStateChanged);
    expect(list[0].previousState).toBeNull();
    expect(list.at(-1)!.state).toBe('COMPLETED');
    list.slice(1).forEach((c, i) => expect(c.previousState).toBe(list[i].state));
    for (const c of list) expect(c.serviceOrder.productOrder.id).toBe(orderId);
    // Resuming after the first cursor gets exactly the rest.
    const resumed = watch(client, { query, variables: { id: soId, after: list[0].cursor } });
    await resumed.waitFor(list.length - 1, 10_000);
    expect(resumed.results.slice(0, list.length - 1).map((r) => (r.data as { serviceOrderStateChanged: { cursor: string } }).serviceOrderStateChanged.cursor)).toEqual(list.slice(1).map((c) => c.cursor));
    w.unsubscribe();
    resumed.unsubscribe();
  });

  it('should start the recurring charge (and the activation fee) at activatedAt, once', async () => {
    const service = completed.items[0].service!;
    await until(async () => (await chargesOf('CUST-789', service.id)).length >= 2, 10_000);
    const charges = await chargesOf('CUST-789', service.id);
    expect(charges.map((c) => c.chargeType).sort()).toEqual(['ONE_TIME', 'RECURRING']);
    for (const c of charges) expect(new Date(c.startDate).toISOString()).toBe(new Date(service.activatedAt!).toISOString());
    expect(charges.find((c) => c.chargeType === 'RECURRING')).toMatchObject({ price: { amount: 59.99, currency: 'EUR' }, productOffering: { id: '5G_PREMIUM' } });
  });

  it('should tell charging which rating groups the service uses', async () => {
    const service = completed.items[0].service!;
    const query = `query ($id: ID!) { service(id: $id) { id chargingProfile { ratingGroups } } }`;
    await until(async () => (await app.query<{ service: { chargingProfile: unknown } }>(query, { id: service.id })).data?.service?.chargingProfile != null, 10_000);
    const res = await app.query<{ service: { chargingProfile: { ratingGroups: string[] } } }>(query, { id: service.id });
    expect(res.data!.service.chargingProfile.ratingGroups).toEqual(['DATA_5G_PREMIUM']);
  });

  it('should record one CRM interaction on the customer when the order completes', async () => {
    await until(async () => (await notesAbout('CUST-789', orderId)).length > 0, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const notes = await notesAbout('CUST-789', orderId);
    expect(notes).toHaveLength(1);
    const service = completed.items[0].service!;
    expect(notes[0]).toMatchObject({ reason: 'order progress', description: `Order ${orderId} completed; service ${service.id} is active.` });
    expect(notes[0].relatedEntity.map((r) => r.id)).toEqual([orderId, service.id]);
  });

  it('should show the new service in the Customer 360 view', async () => {
    const res = await app.query<{ customer: { services: { id: string; state: string }[]; productOrders: { id: string; state: string }[] } }>(
      `{ customer(id: "CUST-789") { services { id state } productOrders { id state } } }`,
    );
    expect(res.data!.customer.services).toContainEqual({ id: completed.items[0].service!.id, state: 'ACTIVE' });
    expect(res.data!.customer.productOrders).toContainEqual({ id: orderId, state: 'COMPLETED' });
  });
});

describe('idempotent submission under concurrent retries', () => {
  it('should create one order, one service and one recurring charge for 20 concurrent submissions with the same key', async () => {
    const ids = await Promise.all(Array.from({ length: 20 }, () => submitOrder(app, 'retry-storm-1', { bandwidth: '100Mbps' })));
    expect(new Set(ids).size).toBe(1);
    const order = await settledOrder(app, ids[0]);
    expect(order.state).toBe('COMPLETED');
    expect(order.serviceOrders).toHaveLength(1);
    const serviceId = order.items[0].service!.id;
    // Once more after completion: still the same order, nothing redone.
    expect(await submitOrder(app, 'retry-storm-1', { bandwidth: '100Mbps' })).toBe(ids[0]);
    await until(async () => (await chargesOf('CUST-789', serviceId)).length >= 1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await chargesOf('CUST-789', serviceId)).filter((c) => c.chargeType === 'RECURRING')).toHaveLength(1);
    const services = await app.query<{ customer: { services: { id: string }[] } }>(`{ customer(id: "CUST-789") { services { id } } }`);
    const mine = services.data!.customer.services.filter((s) => s.id === serviceId);
    expect(mine).toHaveLength(1);
  });
});

describe('reconnecting with a cursor', () => {
  it('should give a client that reconnects with its last cursor exactly the changes it missed', async () => {
    const id = await submitOrder(app, 'reconnect-1', { bandwidth: '500Mbps' });
    const first = watch(client, { query: `subscription ($id: ID!) { productOrderStateChanged(productOrderId: $id) { cursor state } }`, variables: { id } });
    await first.waitFor(1, 10_000);
    const cursor = (first.results[0].data as { productOrderStateChanged: { cursor: string } }).productOrderStateChanged.cursor;
    // The client drops off after the first change, the order goes on without it.
    first.unsubscribe();
    await settledOrder(app, id);
    const { list: all } = await watchUntilSettled(client, id);
    const again = wsClient(app.gatewayUrl);
    try {
      const resumed = watch(again, { query: `subscription ($id: ID!, $after: String) { productOrderStateChanged(productOrderId: $id, after: $after) { cursor state } }`, variables: { id, after: cursor } });
      await resumed.waitFor(all.length - 1, 10_000);
      await new Promise((r) => setTimeout(r, 200));
      expect(resumed.results.map((r) => (r.data as { productOrderStateChanged: { cursor: string } }).productOrderStateChanged.cursor)).toEqual(all.slice(1).map((c) => c.cursor));
    } finally {
      await again.dispose();
    }
    expect(orderChanges(first).length).toBeGreaterThanOrEqual(1);
  });
});
