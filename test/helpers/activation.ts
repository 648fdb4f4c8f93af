import type { Client } from 'graphql-ws';
import { expect } from 'vitest';
import { connectDatabase } from '../../kit/db.js';
import { watch, type Watch } from '../../gateway/test/helpers/ws-client.js';
import { createAdapterModels, type SagaStep } from '../../subgraphs/order/activation/adapters/index.js';
import type { StackUnderTest } from './stack.js';

/** Order states after which nothing changes any more. */
export const TERMINAL = ['COMPLETED', 'FAILED', 'PARTIAL', 'REJECTED', 'CANCELLED'];

export const SUBMIT = `mutation Submit($customerId: ID!, $key: String!, $offering: ID!, $bandwidth: String!) {
  submitProductOrder(input: { customerId: $customerId, idempotencyKey: $key,
    items: [{ productOfferingId: $offering, action: ADD, characteristics: [{ name: "bandwidth", value: $bandwidth }] }] }) { id state } }`;

export const WATCH_ORDER = `subscription Watch($id: ID!, $after: String) { productOrderStateChanged(productOrderId: $id, after: $after) {
  cursor state previousState at
  productOrder { id state customer { id name }
    items { id state service { id state activatedAt supportingResources { id name } } } } } }`;

export const ORDER_DETAILS = `query Order($id: ID!) { productOrder(id: $id) { id state customer { id }
  items { id state service { id state activatedAt } }
  serviceOrders { id state items { id state serviceId }
    errorMessages { code message }
    jeopardyAlerts { jeopardyType message } } } }`;

export interface OrderChange {
  cursor: string;
  state: string;
  previousState: string | null;
  at: string;
  productOrder: { id: string; state: string; customer: { id: string; name: string }; items: { id: string; state: string; service: { id: string; state: string; activatedAt: string | null; supportingResources: { id: string }[] } | null }[] };
}
export const orderChanges = (w: Watch) => w.results.map((r) => (r.data as { productOrderStateChanged: OrderChange }).productOrderStateChanged);

/** Submits a one-item order through the gateway and returns its id. */
export async function submitOrder(app: StackUnderTest, key: string, opts: { customerId?: string; offering?: string; bandwidth?: string } = {}): Promise<string> {
  const res = await app.query<{ submitProductOrder: { id: string; state: string } }>(SUBMIT, {
    key, customerId: opts.customerId ?? 'CUST-789', offering: opts.offering ?? '5G_PREMIUM', bandwidth: opts.bandwidth ?? '1Gbps',
  });
  expect(res.errors).toBeUndefined();
  return res.data!.submitProductOrder.id;
}

/** Subscribes to an order through the gateway and resolves with its changes once it is terminal. */
export async function watchUntilSettled(client: Client, id: string, timeoutMs = 30_000): Promise<{ w: Watch; list: OrderChange[] }> {
  const w = watch(client, { query: WATCH_ORDER, variables: { id } });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = orderChanges(w);
    if (list.some((c) => TERMINAL.includes(c.state))) return { w, list };
    if (Date.now() > deadline) throw new Error(`order ${id} not settled in ${timeoutMs} ms: ${JSON.stringify(list.map((c) => c.state))} ${JSON.stringify(w.results.flatMap((r) => r.errors ?? []))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Polls the order through the gateway until it is terminal. */
export async function settledOrder<T = OrderDetails>(app: StackUnderTest, id: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.query<{ productOrder: OrderDetails }>(ORDER_DETAILS, { id });
    const order = res.data?.productOrder;
    if (order && TERMINAL.includes(order.state)) return order as T;
    if (Date.now() > deadline) throw new Error(`order ${id} not settled in ${timeoutMs} ms: ${JSON.stringify(res)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface OrderDetails {
  id: string;
  state: string;
  items: { id: string; state: string; service: { id: string; state: string; activatedAt: string | null } | null }[];
  serviceOrders: { id: string; state: string; items: { id: string; state: string; serviceId: string | null }[]; errorMessages: { code: string; message: string }[]; jeopardyAlerts: { jeopardyType: string; message: string | null }[] }[];
}

/** Stores a fault rule of the simulated network (order database), as an operator's chaos run would. */
export async function injectFault(uri: string, rule: { id: string; externalId: string; step: SagaStep; effect?: 'FAIL' | 'DELAY'; delayMs?: number; adapter?: 'EMS' | 'SDN' | 'OLT' }): Promise<void> {
  const conn = await connectDatabase(uri, 'order');
  try {
    const { ActivationFault } = createAdapterModels(conn);
    await ActivationFault.create({ _id: rule.id, match: { externalId: rule.externalId }, step: rule.step, effect: rule.effect ?? 'FAIL', delayMs: rule.delayMs ?? 0, adapter: rule.adapter ?? null });
  } finally {
    await conn.close();
  }
}

export { until } from '../../kit/testing.js';
