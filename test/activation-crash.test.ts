import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo/index.js';
import { silentLogger } from '../embedded-mongo/src/types.js';
import { connectDatabase } from '../kit/db.js';
import { graphqlRequest } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import { seedAll } from '../seed/seed-all.js';
import { createAdapterModels } from '../subgraphs/order/activation/adapters/index.js';
import { SUBMIT, TERMINAL, until } from './helpers/activation.js';
import { freePorts, startChildStack, type ChildStack } from './helpers/child-stack.js';

/**
 * A persisted saga survives its process: the product runs in a child process that is SIGKILLed
 * while orders are being activated; a new process picks the sagas up (once the dead one's leases
 * expire) and every order ends COMPLETED — none stuck, none activated or billed twice.
 */
let mongo: EmbeddedMongo;
let running: ChildStack | undefined;
const ORDERS = 8;

beforeAll(async () => {
  // A short transaction lifetime frees, within a second, what a killed process's open transaction held.
  mongo = await startEmbeddedMongo({ log: silentLogger, transactionLifetimeMs: 1_000 });
  await seedAll(mongo.uri, generateWorld('small'));
  // Every configuration is slow, so the kill lands while sagas are mid-flight.
  const conn = await connectDatabase(mongo.uri, 'order');
  await createAdapterModels(conn).ActivationFault.create({ _id: 'slow-network', match: {}, step: 'CONFIGURATION', effect: 'DELAY', delayMs: 1_500 });
  await conn.close();
}, 120_000);
afterAll(async () => {
  await running?.kill();
  await mongo?.stop();
});

type Order = { id: string; state: string; items: { service: { id: string; state: string } | null }[] };
const ORDER = `query ($id: ID!) { productOrder(id: $id) { id state items { service { id state } } } }`;

describe('crash and resume of the activation saga', () => {
  it('should bring every order to COMPLETED after the process is killed mid-activation, activating and billing each once', async () => {
    const ports = await freePorts(7);
    const env = { SAGA_LEASE_MS: '1000', ADAPTER_LATENCY_MS: '5', ACTIVATION_STEP_DEADLINE_MS: '30000' };
    running = await startChildStack(mongo.uri, ports, env);
    const ids: string[] = [];
    for (let i = 0; i < ORDERS; i++) {
      const res = await graphqlRequest<{ submitProductOrder: { id: string } }>(running.gatewayUrl, SUBMIT, { key: `crash-${i}`, customerId: 'CUST-789', offering: '5G_PREMIUM', bandwidth: '100Mbps' });
      expect(res.errors).toBeUndefined();
      ids.push(res.data!.submitProductOrder.id);
    }
    const stateOf = async (url: string, id: string) => (await graphqlRequest<{ productOrder: Order }>(url, ORDER, { id })).data?.productOrder;
    await until(async () => (await Promise.all(ids.map((id) => stateOf(running!.gatewayUrl, id)))).every((o) => o?.state === 'IN_PROGRESS'), 20_000, 'all orders in progress');
    await running.kill();

    running = await startChildStack(mongo.uri, ports, env);
    const url = running.gatewayUrl;
    await until(async () => (await Promise.all(ids.map((id) => stateOf(url, id)))).every((o) => o && TERMINAL.includes(o.state)), 60_000, 'all orders settled after the restart');
    const orders = (await Promise.all(ids.map((id) => stateOf(url, id)))) as Order[];
    expect(orders.map((o) => o.state)).toEqual(ids.map(() => 'COMPLETED'));
    const serviceIds = orders.map((o) => o.items[0].service!.id);
    expect(new Set(serviceIds).size).toBe(ORDERS);

    // Activated once: one service per order in inventory, each network configuration applied once.
    const inventory = await connectDatabase(mongo.uri, 'inventory');
    const services = await inventory.db!.collection('services').find({ _id: { $in: serviceIds as never[] } }).toArray();
    expect(services.map((s) => s.state)).toEqual(serviceIds.map(() => 'ACTIVE'));
    const reservedFor = await inventory.db!.collection('services').countDocuments({ customerId: 'CUST-789', createdAt: { $gte: services.reduce((m, s) => (s.createdAt < m ? s.createdAt : m), new Date()) } });
    expect(reservedFor).toBe(ORDERS);
    await inventory.close();
    const order = await connectDatabase(mongo.uri, 'order');
    const configs = await createAdapterModels(order).NetworkElementConfig.find({ serviceId: { $in: serviceIds } }).lean();
    expect(configs.length).toBeGreaterThanOrEqual(ORDERS);
    for (const c of configs) expect(c).toMatchObject({ state: 'CONFIGURED', applyCount: 1 });
    await order.close();

    // Billed once: exactly one recurring charge per active service.
    const billing = await connectDatabase(mongo.uri, 'billing');
    await until(async () => (await billing.db!.collection('charges').countDocuments({ serviceId: { $in: serviceIds }, chargeType: 'RECURRING' })) >= ORDERS, 20_000, 'charges for every service');
    const charges = await billing.db!.collection('charges').find({ serviceId: { $in: serviceIds }, chargeType: 'RECURRING' }).toArray();
    expect(charges.map((c) => c.serviceId).sort()).toEqual([...serviceIds].sort());
    await billing.close();
  }, 180_000);
});
