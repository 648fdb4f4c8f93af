import type { ClientSession } from 'mongoose';
import { badInputField, conflict, notFound } from '../../../kit/errors.js';
import type { Models, ProductOrderDoc, ServiceOrderDoc } from '../models.js';
import { endedItems, recordServiceOrderChange, recordStateChange, runOrderTransaction } from '../outbox.js';
import type { OrderContext } from '../resolvers/context.js';
import { isTerminalItem, isTerminalOrder } from './rollup.js';
import { nudgeSaga } from './signals.js';

/** `CancelProductOrderInput` as GraphQL hands it over. */
export interface CancelProductOrderInput {
  productOrderId: string;
  reason?: string | null;
}

const MAX_REASON_LENGTH = 1_000;
/** States from which a cancellation may be requested: the order is not finished nor already being cancelled. */
const CANCELLABLE = ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING', 'HELD'] as const;

function checkInput(input: CancelProductOrderInput): { productOrderId: string; reason: string | null } {
  if (input.productOrderId.trim() === '') throw badInputField('input.productOrderId', 'must not be blank');
  const reason = input.reason ?? null;
  if (reason !== null && reason.trim() === '') throw badInputField('input.reason', 'must not be blank when given');
  if (reason !== null && reason.length > MAX_REASON_LENGTH) throw badInputField('input.reason', `must be at most ${MAX_REASON_LENGTH} characters`);
  return { productOrderId: input.productOrderId, reason };
}

/** Why an item can no longer be cancelled, or null: once activation was requested the service may be live. */
function blocker(order: ServiceOrderDoc): string | null {
  for (const item of order.items) {
    if (item.state === 'COMPLETED') return `item ${item.id} is already completed`;
    if (isTerminalItem(item.state)) continue;
    if (!item.saga) return `item ${item.id} is not orchestrated by this system`;
    if (item.saga.activationRequestedAt || item.saga.step === 'AWAITING_CONFIRMATION') return `item ${item.id} is already being activated`;
  }
  return null;
}

type Assessment = { accepted: true; serviceOrderIds: string[] } | { accepted: false; why: string };

/**
 * TMF622 cancellation, assessed in ONE transaction: the order enters ASSESSING_CANCELLATION; then
 * either back to where it was (refused) or PENDING_CANCELLATION with its live service orders (each
 * change an event). The transaction writes the service orders it assesses, so it and a saga step
 * crossing the point of no return (which writes them too) exclude each other: whichever commits
 * second is retried and sees the first.
 */
async function assess(models: Models, session: ClientSession, productOrderId: string, reason: string | null): Promise<Assessment> {
  const order = await models.ProductOrder.findById(productOrderId, { state: 1, items: 1 }).session(session).lean<ProductOrderDoc>();
  if (!order) throw notFound('product order', productOrderId);
  const previous = order.state;
  if (!(CANCELLABLE as readonly string[]).includes(previous)) {
    throw conflict(isTerminalOrder(previous) ? `product order '${productOrderId}' is ${previous}: a finished order cannot be cancelled` : `product order '${productOrderId}' is already ${previous}`);
  }
  const at = new Date();
  await recordStateChange(models, session, productOrderId, 'ASSESSING_CANCELLATION', { from: [previous], at });
  const serviceOrders = (await models.ServiceOrder.find({ productOrderId }).session(session).lean<ServiceOrderDoc[]>()).filter((so) => !isTerminalOrder(so.state));
  const why = serviceOrders.map(blocker).find((b) => b !== null);
  if (why) {
    await recordStateChange(models, session, productOrderId, previous, { from: ['ASSESSING_CANCELLATION'], at });
    return { accepted: false, why };
  }
  await recordStateChange(models, session, productOrderId, 'PENDING_CANCELLATION', { from: ['ASSESSING_CANCELLATION'], set: { cancellationReason: reason }, at });
  for (const so of serviceOrders) {
    // Due at once: whichever instance sweeps first undoes the work (this one is nudged below).
    await recordServiceOrderChange(models, session, so._id, { state: 'PENDING_CANCELLATION', set: { cancellationReason: reason, sagaWakeAt: at }, at });
  }
  if (serviceOrders.length === 0) {
    // Nothing was sent to the network yet (or everything already ended): cancelled right away.
    const states = order.items.map((item) => (isTerminalItem(item.state) ? item.state : 'CANCELLED'));
    const items = Object.fromEntries(states.map((state, i) => [`items.${i}.state`, state]));
    const outcome = { items: endedItems(order.items, states, order.items.map((item) => item.serviceId ?? null)), cancellationReason: reason };
    await recordStateChange(models, session, productOrderId, 'CANCELLED', { from: ['PENDING_CANCELLATION'], set: { ...items, completionDate: at }, at, outcome });
  }
  return { accepted: true, serviceOrderIds: serviceOrders.map((so) => so._id) };
}

/**
 * `cancelProductOrder`: answers the order as it is once the cancellation is accepted
 * (PENDING_CANCELLATION, or CANCELLED when nothing had reached the network); the sagas then
 * compensate and end it CANCELLED. A refusal is a CONFLICT error, after the order went back.
 */
export async function cancelProductOrder(ctx: OrderContext, input: CancelProductOrderInput): Promise<ProductOrderDoc> {
  const { productOrderId, reason } = checkInput(input);
  const { models, loaders } = ctx;
  const assessment = await runOrderTransaction(models, (session) => assess(models, session, productOrderId, reason));
  loaders.productOrderById.clear(productOrderId);
  if (!assessment.accepted) throw conflict(`product order '${productOrderId}' cannot be cancelled any more: ${assessment.why}`);
  for (const id of assessment.serviceOrderIds) nudgeSaga(id, true);
  const order = await loaders.productOrderById.load(productOrderId);
  if (!order) throw notFound('product order', productOrderId);
  return order;
}
