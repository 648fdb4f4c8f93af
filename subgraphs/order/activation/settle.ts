import type { ClientSession } from 'mongoose';
import type { Models, ProductOrderDoc, ServiceOrderDoc } from '../models.js';
import { applyServiceOrderChange, applyStateChange, endedItems } from '../outbox.js';
import { OrderWriteBatch } from '../write-batch.js';
import { isTerminalOrder, nextOrderState, type ItemState, type OrderState } from './rollup.js';

type ErrorMessageDoc = ServiceOrderDoc['errorMessages'][number];
type MilestoneDoc = ServiceOrderDoc['milestones'][number];

/** What happens to one service order item. */
export interface ItemOutcome {
  itemId: string;
  state: ItemState;
  /** Set on the service order item and the product order item it realises. */
  serviceId?: string | null;
  /** When inventory activated that service (a confirmed activation): kept on the product order item. */
  activatedAt?: Date;
  error?: ErrorMessageDoc;
  milestone?: MilestoneDoc;
  /** Fields of the item's saga to set, e.g. `{ step: 'DONE' }`. */
  saga?: Record<string, unknown>;
  /** Saga arrays to push onto, e.g. `{ attempts: {…} }`. */
  sagaPush?: Record<string, unknown>;
}

export interface SettleOptions {
  /** Conditions on the service order (e.g. the saga's lease owner); unmet → nothing written, null returned. */
  guard?: Record<string, unknown>;
  at?: Date;
  /** The service order as the caller just read it in this transaction, guard met (saves reading it again). */
  current?: ServiceOrderDoc;
}

/** The states the orders ended in. */
export interface Settled {
  serviceOrder: OrderState;
  productOrder: OrderState | null;
}

/** `items.<index>` of an item by id (items never move within an order). */
export function itemPath(order: Pick<ServiceOrderDoc, 'items'>, itemId: string): string {
  const index = order.items.findIndex((i) => i.id === itemId);
  if (index < 0) throw new Error(`service order has no item '${itemId}'`);
  return `items.${index}`;
}

/**
 * Inside the caller's transaction: applies item outcomes to the service order and rolls it up,
 * mirrors them onto the product order's items and rolls that up — every order state change with
 * its event, a terminal order with its completion date (and no longer due for the saga). This is
 * the one way item states change, so a service order and its product order never disagree.
 */
export async function settleItems(models: Models, session: ClientSession, serviceOrderId: string, outcomes: ItemOutcome[], opts: SettleOptions = {}): Promise<Settled | null> {
  const order = opts.current ?? await models.ServiceOrder.findOne({ _id: serviceOrderId, ...opts.guard }).session(session).lean<ServiceOrderDoc>();
  if (!order) return null;
  const product = order.productOrderId ? await readProductOrder(models, session, order.productOrderId) : null;
  // Stamped once both orders are read, so only the writes and the commit lie between the
  // events' time and the moment subscribers can see them.
  const at = opts.at ?? new Date();
  const set: Record<string, unknown> = {};
  const push: Record<string, unknown[]> = {};
  const add = (field: string, value: unknown) => (push[field] ??= []).push(value);
  const states = new Map(order.items.map((i) => [i.id, i.state]));
  for (const o of outcomes) {
    const path = itemPath(order, o.itemId);
    states.set(o.itemId, o.state);
    set[`${path}.state`] = o.state;
    if (o.serviceId !== undefined) set[`${path}.serviceId`] = o.serviceId;
    for (const [k, v] of Object.entries(o.saga ?? {})) set[`${path}.saga.${k}`] = v;
    for (const [k, v] of Object.entries(o.sagaPush ?? {})) add(`${path}.saga.${k}`, v);
    if (o.error) add('errorMessages', o.error);
    if (o.milestone) add('milestones', o.milestone);
  }
  const state = nextOrderState(order.state, [...states.values()]);
  const terminal = isTerminalOrder(state);
  if (terminal) set.completionDate = at;
  const batch = new OrderWriteBatch(models, session);
  const changed = await applyServiceOrderChange(batch, serviceOrderId, {
    guard: opts.guard,
    state,
    set,
    unset: terminal ? ['sagaWakeAt'] : [],
    push: Object.fromEntries(Object.entries(push).map(([k, v]) => [k, { $each: v }])),
    at,
    current: order,
  });
  if (!changed) return null;
  // Each service order item names the product order item it realises.
  const productItemOf = (itemId: string) => order.items.find((i) => i.id === itemId)?.productOrderItemId ?? itemId;
  const mirrored = outcomes.map((o) => ({ ...o, itemId: productItemOf(o.itemId) }));
  // Why items failed, earlier or now, by product order item: the product order's final event says so.
  const errors = [...order.errorMessages, ...outcomes.flatMap((o) => (o.error ? [o.error] : []))];
  const failureReasons = new Map(errors.filter((e) => e.itemId).map((e) => [productItemOf(e.itemId!), e.message]));
  const rolledUp = order.productOrderId ? await mirror(batch, order.productOrderId, product, mirrored, at, failureReasons) : null;
  // Both orders and their events in one write, the transaction's last before its commit.
  await batch.flush();
  return { serviceOrder: state, productOrder: rolledUp };
}

const readProductOrder = (models: Models, session: ClientSession, id: string) =>
  models.ProductOrder.findById(id, { items: 1, state: 1, version: 1, externalId: 1, customerId: 1, cancellationReason: 1 }).session(session).lean<ProductOrderDoc>();

/**
 * Mirrors item outcomes onto the product order items they realise (`order`, as read in this
 * transaction) and rolls the product order up into `batch`; returns its state. A final state's
 * event carries how each item ended (`failureReasons` by product order item).
 */
async function mirror(batch: OrderWriteBatch, productOrderId: string, order: ProductOrderDoc | null, outcomes: ItemOutcome[], at: Date, failureReasons: Map<string, string>): Promise<OrderState | null> {
  // A finished product order stays as it finished: a late outcome must not rewrite it.
  if (!order || isTerminalOrder(order.state)) return order?.state ?? null;
  const set: Record<string, unknown> = {};
  const states = order.items.map((i) => i.state);
  const serviceIds = order.items.map((i) => i.serviceId ?? null);
  for (const o of outcomes) {
    const index = order.items.findIndex((i) => i.id === o.itemId);
    if (index < 0) continue;
    states[index] = o.state;
    set[`items.${index}.state`] = o.state;
    if (o.serviceId) {
      set[`items.${index}.serviceId`] = o.serviceId;
      serviceIds[index] = o.serviceId;
    }
    if (o.activatedAt) set[`items.${index}.serviceActivatedAt`] = o.activatedAt;
  }
  const state = nextOrderState(order.state, states);
  const terminal = isTerminalOrder(state);
  if (terminal) set.completionDate = at;
  const outcome = terminal ? { items: endedItems(order.items, states, serviceIds, failureReasons), cancellationReason: order.cancellationReason } : undefined;
  await applyStateChange(batch, productOrderId, state, { set, at, current: order, outcome });
  return state;
}
