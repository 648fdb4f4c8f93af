import type mongoose from 'mongoose';
import { expect } from 'vitest';
import type { ActivationConfig, AppConfig } from '../../../kit/config.js';
import { connectDatabase } from '../../../kit/db.js';
import { graphqlRequest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { startStackUnderTest, type StackUnderTest } from '../../../test/helpers/stack.js';
import { createAdapterModels, type AdapterModels, type SagaStep } from '../activation/adapters/index.js';
import { subgraph } from '../index.js';
import type { Models, OrderEventDoc, ProductOrderDoc, ServiceOrderDoc } from '../models.js';

/**
 * The real product for the activation tests (embedded MongoDB, six subgraphs, gateway), with
 * handles on the order subgraph's own models and on inventory's database (read only: to check
 * what the network holds).
 */
export interface ActivationStack {
  sut: StackUnderTest;
  orderUrl: string;
  models: Models;
  adapters: AdapterModels;
  inventory: mongoose.Connection;
  stop(): Promise<void>;
}

/** Fast adapters; a generous deadline so a loaded test machine raises no jeopardy by accident. */
export const TEST_ACTIVATION: ActivationConfig = { adapterLatencyMs: 2, adapterFailureRate: 0, stepDeadlineMs: 10_000, sagaLeaseMs: 2_000 };

export async function startActivationStack(activation: Partial<ActivationConfig> = {}, config: Partial<AppConfig> = {}): Promise<ActivationStack> {
  const sut = await startStackUnderTest(generateWorld('small'), { ...config, activation: { ...TEST_ACTIVATION, ...activation } });
  const conn = sut.stack.subgraphs.order.conn;
  // A connection of its own: tests stop and restart the inventory subgraph.
  const inventory = await connectDatabase(sut.stack.mongoUri, 'inventory');
  return {
    sut,
    orderUrl: sut.stack.subgraphs.order.url,
    // The running subgraph's own models (createModels returns those already bound to its connection).
    models: subgraph.createModels(conn),
    adapters: createAdapterModels(conn),
    inventory,
    async stop() {
      await inventory.close();
      await sut.stop();
    },
  };
}

export interface ItemInput {
  productOfferingId: string;
  action: 'ADD';
  characteristics: { name: string; value: string }[];
}
export const premium = (bandwidth = '100Mbps'): ItemInput => ({ productOfferingId: '5G_PREMIUM', action: 'ADD', characteristics: [{ name: 'bandwidth', value: bandwidth }] });
export const fibre = (): ItemInput => ({ productOfferingId: 'FIBRE_1G', action: 'ADD', characteristics: [] });

/** Submits an order straight to the order subgraph; returns its id. */
export async function submit(app: ActivationStack, key: string, items: ItemInput[] = [premium()], customerId = 'CUST-789'): Promise<string> {
  const res = await graphqlRequest<{ submitProductOrder: { id: string; state: string } }>(app.orderUrl,
    'mutation ($input: SubmitProductOrderInput!) { submitProductOrder(input: $input) { id state } }', { input: { customerId, idempotencyKey: key, items } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.submitProductOrder.state).toBe('ACKNOWLEDGED');
  return res.data!.submitProductOrder.id;
}

/** Stores a fault rule of the simulated network for orders submitted with `externalId`. */
export async function injectFault(app: ActivationStack, externalId: string, step: SagaStep, effect: 'FAIL' | 'DELAY' = 'FAIL', delayMs = 0, match: Record<string, string> = {}): Promise<void> {
  await app.adapters.ActivationFault.create({ _id: `${externalId}-${step}-${effect}`, match: { externalId, ...match }, step, effect, delayMs });
}

/** Polls until `probe` returns something truthy; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const TERMINAL = ['COMPLETED', 'FAILED', 'PARTIAL', 'CANCELLED', 'REJECTED'];

export const productOrder = (app: ActivationStack, id: string) => app.models.ProductOrder.findById(id).lean<ProductOrderDoc>();
export const serviceOrderOf = (app: ActivationStack, productOrderId: string) => app.models.ServiceOrder.findOne({ productOrderId }).lean<ServiceOrderDoc>();

/** Waits for the product order and its service order to be terminal; returns both. */
export async function settled(app: ActivationStack, productOrderId: string, timeoutMs = 20_000): Promise<{ po: ProductOrderDoc; so: ServiceOrderDoc }> {
  return waitFor(async () => {
    const [po, so] = await Promise.all([productOrder(app, productOrderId), serviceOrderOf(app, productOrderId)]);
    return po && so && TERMINAL.includes(po.state) && TERMINAL.includes(so.state) && { po, so };
  }, `product order ${productOrderId} settled`, timeoutMs);
}

/** The product order's own events (not its service orders'), in version order. */
export const productOrderEvents = (app: ActivationStack, id: string) =>
  app.models.OrderEvent.find({ productOrderId: id, serviceOrderId: { $exists: false } }).sort({ version: 1 }).lean<OrderEventDoc[]>();
/** A service order's events, in version order. */
export const serviceOrderEvents = (app: ActivationStack, id: string) => app.models.OrderEvent.find({ serviceOrderId: id }).sort({ version: 1 }).lean<OrderEventDoc[]>();

/** `capacity.used` of inventory resources, by id. */
export async function capacityUsed(app: ActivationStack, ids: string[]): Promise<Record<string, number>> {
  const docs = await app.inventory.collection<{ _id: string; capacity: { used: number } | null }>('resources').find({ _id: { $in: ids } }).toArray();
  return Object.fromEntries(docs.map((d) => [d._id, d.capacity?.used ?? 0]));
}

/** Inventory's reservations for a service order. */
export const reservationsOf = (app: ActivationStack, serviceOrderId: string) =>
  app.inventory.collection<{ _id: string; state: string; serviceId: string; resources: { resourceId: string; amount: number }[] }>('reservations').find({ serviceOrderId }).toArray();

/** Inventory's state of a service. */
export async function serviceState(app: ActivationStack, serviceId: string): Promise<string | null> {
  const doc = await app.inventory.collection<{ _id: string; state: string }>('services').findOne({ _id: serviceId });
  return doc?.state ?? null;
}
