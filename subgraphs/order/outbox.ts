import { randomUUID } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import { conflict, notFound } from '../../kit/errors.js';
import type { Models, OrderEventDoc, ProductOrderDoc, ServiceOrderDoc } from './models.js';
import { OrderWriteBatch } from './write-batch.js';

/**
 * The transactional outbox of the order subgraph. Every product and service order state change
 * is written together with its event (collection `events`) in ONE transaction, so a subscriber
 * or another subgraph never sees a change without its event, nor an event without its change.
 * An order's events are numbered by `version` 1, 2, … (the order document holds the last one): a
 * transaction that bumps the version conflicts with any concurrent one on the same order, so
 * versions have no gaps and commit in order.
 */

/** A product order state (the GraphQL spelling). */
export type ProductOrderState = ProductOrderDoc['state'];

/**
 * Runs `fn` in one transaction on the order database; write conflicts (two writers on one order)
 * retry it from the start, so `fn` must do nothing but database work through `session`.
 */
export function runOrderTransaction<T>(models: Models, fn: (session: ClientSession) => Promise<T>): Promise<T> {
  return models.ProductOrder.db.transaction(fn);
}

/** One item of a product order's final event (see `StateChangeOptions.outcome`). */
export type EventItem = NonNullable<OrderEventDoc['items']>[number];

/** What a product order's final event adds: its items as they ended, and a cancellation's reason. */
export interface OrderOutcome {
  items: EventItem[];
  cancellationReason?: string | null;
}

/**
 * A product order's items as they ended, for its final event: `states` and `serviceIds` in item
 * order; only a FAILED item carries its reason (`failureReasons` by item id).
 */
export function endedItems(items: readonly { id: string }[], states: readonly EventItem['state'][], serviceIds: readonly (string | null)[], failureReasons: ReadonlyMap<string, string> = new Map()): EventItem[] {
  return items.map((item, i) => ({ id: item.id, state: states[i], serviceId: serviceIds[i], failureReason: states[i] === 'FAILED' ? failureReasons.get(item.id) ?? null : null }));
}

function eventDoc(order: Pick<ProductOrderDoc, '_id' | 'externalId' | 'customerId'>, version: number, state: ProductOrderState, previousState: ProductOrderState | null, at: Date, correlationId?: string | null, outcome?: OrderOutcome): OrderEventDoc {
  return {
    ...(outcome && { items: outcome.items }),
    ...(outcome?.cancellationReason && { cancellationReason: outcome.cancellationReason }),
    _id: `${order._id}:${version}`,
    eventId: randomUUID(),
    eventType: version === 1 && previousState === null ? 'ProductOrderCreateEvent' : 'ProductOrderStateChangeEvent',
    productOrderId: order._id,
    // Consumers (CRM notes) act on the customer without asking this subgraph back.
    customerId: order.customerId,
    version,
    state,
    previousState,
    at,
    // Ties every event of the order to the client's request unless the caller has a better id.
    correlationId: correlationId ?? order.externalId ?? order._id,
  };
}

/**
 * Stores a new order (its `version` must be 1) and its `ProductOrderCreateEvent` inside the
 * caller's transaction. A clash on the idempotency key surfaces as code 11000 with the server's
 * E11000 message, which names the index (the write batch does not keep the driver's keyPattern).
 */
export async function recordCreation(models: Models, session: ClientSession, order: ProductOrderDoc): Promise<OrderEventDoc> {
  const event = eventDoc(order, 1, order.state, null, order.orderDate);
  // One round trip for both: in a burst of submissions every round trip queues behind the others.
  const batch = new OrderWriteBatch(models, session);
  batch.insert(models.ProductOrder, order);
  batch.append(event);
  await batch.flush();
  return event;
}

export interface StateChangeOptions {
  /** Refuse (CONFLICT) unless the order is in one of these states: how a saga step claims its work. */
  from?: readonly ProductOrderState[];
  /** Other fields to set in the same update, e.g. `{ completionDate }` or `{ 'items.0.state': 'IN_PROGRESS' }`. */
  set?: Record<string, unknown>;
  /** When the change happened; by default the moment its event is written. */
  at?: Date;
  /**
   * The order as the caller already read it in this transaction (state, version, externalId,
   * customerId): saves reading it again.
   */
  current?: Pick<ProductOrderDoc, 'state' | 'version' | 'externalId' | 'customerId'>;
  /** TMF `correlationId` of the event; the order's idempotency key by default. */
  correlationId?: string;
  /** For a change to a final state: how each item ended, carried by the event. */
  outcome?: OrderOutcome;
}

/**
 * Moves a product order to `newState` and appends its `ProductOrderStateChangeEvent` (version =
 * previous + 1), both through `session` — call it inside `runOrderTransaction` so the two commit
 * together; live subscribers receive the event when the transaction commits. Returns the event,
 * or null when the order already is in `newState` (nothing is recorded then; `set` still
 * applies). Unknown order → NOT_FOUND; `from` not matched → CONFLICT.
 */
export async function recordStateChange(models: Models, session: ClientSession, ...args: DropFirst<Parameters<typeof applyStateChange>>): Promise<OrderEventDoc | null> {
  const batch = new OrderWriteBatch(models, session);
  const event = await applyStateChange(batch, ...args);
  await batch.flush();
  return event;
}

type DropFirst<T extends unknown[]> = T extends [unknown, ...infer Rest] ? Rest : never;

/**
 * recordStateChange into `batch`: the order is read (unless `current` is given) and checked now,
 * its update and event are written when the caller flushes the batch with the transaction's
 * other writes.
 */
export async function applyStateChange(
  batch: OrderWriteBatch,
  productOrderId: string,
  newState: ProductOrderState,
  options: StateChangeOptions = {},
): Promise<OrderEventDoc | null> {
  const { ProductOrder } = batch.models;
  const order = options.current
    ? { _id: productOrderId, ...options.current }
    : await ProductOrder.findById(productOrderId, { state: 1, version: 1, externalId: 1, customerId: 1 }).session(batch.session).lean<ProductOrderDoc>();
  if (!order) throw notFound('product order', productOrderId);
  if (options.from && !options.from.includes(order.state)) {
    throw conflict(`product order '${productOrderId}' is ${order.state}, not ${options.from.join(' or ')}`);
  }
  if (order.state === newState) {
    if (options.set) batch.update(ProductOrder, { _id: productOrderId }, { $set: options.set });
    return null;
  }
  const version = (order.version ?? 0) + 1;
  // The version in the filter makes a concurrent change (outside a transaction) fail loudly
  // instead of two events claiming the same version; inside transactions it is a write conflict.
  batch.update(
    ProductOrder,
    { _id: productOrderId, version: order.version ?? { $exists: false } },
    { $set: { ...options.set, state: newState, version } },
    () => conflict(`product order '${productOrderId}' changed concurrently; retry`),
  );
  const event = eventDoc(order, version, newState, order.state, options.at ?? new Date(), options.correlationId, options.outcome);
  batch.append(event);
  return event;
}

/** A service order state (the GraphQL spelling). */
export type ServiceOrderState = ServiceOrderDoc['state'];
/** One jeopardy alert of a service order. */
export type JeopardyAlertDoc = ServiceOrderDoc['jeopardyAlerts'][number];
type ServiceOrderEventType = 'ServiceOrderCreateEvent' | 'ServiceOrderStateChangeEvent' | 'ServiceOrderJeopardyEvent';
type ServiceOrderHead = Pick<ServiceOrderDoc, '_id' | 'productOrderId' | 'customerId' | 'externalId'>;

function serviceOrderEvent(order: ServiceOrderHead, version: number, eventType: ServiceOrderEventType, state: ServiceOrderState, previousState: ServiceOrderState | null, at: Date, jeopardyAlert?: JeopardyAlertDoc): OrderEventDoc {
  return {
    _id: `${order._id}:${version}`,
    eventId: randomUUID(),
    eventType,
    serviceOrderId: order._id,
    // Left out (not null) for a service order the network requested: the product order history
    // index is partial on the field's existence.
    ...(order.productOrderId ? { productOrderId: order.productOrderId } : {}),
    customerId: order.customerId ?? null,
    version,
    state,
    previousState,
    at,
    correlationId: order.externalId ?? order.productOrderId ?? order._id,
    ...(jeopardyAlert ? { jeopardyAlert } : {}),
  };
}

/** Stores a new service order (its `version` must be 1) with its `ServiceOrderCreateEvent`, in `batch`. */
export function applyServiceOrderCreation(batch: OrderWriteBatch, order: ServiceOrderDoc): void {
  batch.insert(batch.models.ServiceOrder, order);
  batch.append(serviceOrderEvent(order, 1, 'ServiceOrderCreateEvent', order.state, null, order.orderDate));
}

/** One change of a service order: its state, other fields, a jeopardy alert — any mix. */
export interface ServiceOrderChange {
  /** Further conditions the stored order must meet, e.g. the saga's lease owner or an item's step. */
  guard?: Record<string, unknown>;
  /** The state to enter; a ServiceOrderStateChangeEvent when it differs from the current one. */
  state?: ServiceOrderState;
  set?: Record<string, unknown>;
  unset?: string[];
  push?: Record<string, unknown>;
  /** Raises this alert: pushed onto `jeopardyAlerts` with a ServiceOrderJeopardyEvent. */
  jeopardyAlert?: JeopardyAlertDoc;
  /** When the change happened; now by default. */
  at?: Date;
  /** The order as the caller just read it through the same session (saves reading it again). */
  current?: Pick<ServiceOrderDoc, '_id' | 'state' | 'version' | 'productOrderId' | 'customerId' | 'externalId'>;
}

/**
 * Applies `change` to a service order and appends its events (state change, then jeopardy), all
 * through `session`. Returns the events written, or null when the order is unknown or does not
 * meet `guard` — nothing is written then: that is how a saga step learns it lost its lease or
 * the order moved on (e.g. was cancelled) under it.
 */
export async function recordServiceOrderChange(models: Models, session: ClientSession, serviceOrderId: string, change: ServiceOrderChange): Promise<OrderEventDoc[] | null> {
  const batch = new OrderWriteBatch(models, session);
  const events = await applyServiceOrderChange(batch, serviceOrderId, change);
  await batch.flush();
  return events;
}

/** recordServiceOrderChange into `batch` (see applyStateChange). */
export async function applyServiceOrderChange(batch: OrderWriteBatch, serviceOrderId: string, change: ServiceOrderChange): Promise<OrderEventDoc[] | null> {
  const { ServiceOrder } = batch.models;
  const order = change.current ?? await ServiceOrder.findOne({ _id: serviceOrderId, ...change.guard }, { state: 1, version: 1, productOrderId: 1, customerId: 1, externalId: 1 })
    .session(batch.session).lean<ServiceOrderDoc>();
  if (!order) return null;
  const at = change.at ?? new Date();
  const events: OrderEventDoc[] = [];
  let version = order.version ?? 0;
  if (change.state && change.state !== order.state) {
    events.push(serviceOrderEvent(order, ++version, 'ServiceOrderStateChangeEvent', change.state, order.state, at));
  }
  const state = change.state ?? order.state;
  if (change.jeopardyAlert) events.push(serviceOrderEvent(order, ++version, 'ServiceOrderJeopardyEvent', state, state, at, change.jeopardyAlert));
  const push = { ...change.push, ...(change.jeopardyAlert ? { jeopardyAlerts: change.jeopardyAlert } : {}) };
  const update: Record<string, unknown> = { $set: { ...change.set, state, version } };
  if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((f) => [f, '']));
  if (Object.keys(push).length) update.$push = push;
  // The version in the filter: a concurrent writer conflicts rather than both claiming a version.
  batch.update(ServiceOrder, { _id: serviceOrderId, version: order.version ?? { $exists: false }, ...change.guard }, update,
    () => conflict(`service order '${serviceOrderId}' changed concurrently; retry`));
  batch.append(...events);
  return events;
}
