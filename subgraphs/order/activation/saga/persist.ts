import type { ServiceOrderDoc } from '../../models.js';
import { recordServiceOrderChange, runOrderTransaction } from '../../outbox.js';
import { isTerminalItem } from '../rollup.js';
import { settleItems } from '../settle.js';
import type { StepFailure } from '../failures.js';
import type { SagaDeps, SagaItem, SagaStepName, WorkStep } from './deps.js';

/**
 * The saga's writes. Each is guarded by the lease (`claim.owner` is this instance) and by the
 * item's expected step: a write made by an instance that lost its lease, or about an item that
 * moved on (completed by the confirmation, cancelled), matches nothing and returns null — the
 * caller stops and re-reads instead of overwriting. Writes that record an event (a state change,
 * a jeopardy alert) are transactions; the others change one document, atomic by themselves.
 */

const path = (order: ServiceOrderDoc, itemId: string) => `items.${order.items.findIndex((i) => i.id === itemId)}`;

function itemGuard(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { 'claim.owner': deps.owner, [`${path(order, item.id)}.saga.step`]: item.saga.step, ...extra };
}

const milestone = (item: SagaItem, name: string, description: string, at: Date) => ({ id: `${item.id}:${name}`, name, description, milestoneDate: at, status: 'reached', itemId: item.id });

/**
 * ACKNOWLEDGED → IN_PROGRESS: every item that can run starts its first step now. Items that
 * decomposition already failed are mirrored onto the product order as they are (and an order of
 * nothing but such items rolls up FAILED at once).
 */
export async function startOrder(deps: SagaDeps, order: ServiceOrderDoc, items: SagaItem[]): Promise<boolean> {
  const startedAt = new Date();
  const outcomes = items.map((i) => isTerminalItem(i.state)
    ? { itemId: i.id, state: i.state }
    : { itemId: i.id, state: 'IN_PROGRESS' as const, saga: { stepStartedAt: startedAt }, sagaPush: { attempts: { step: i.saga.step, owner: deps.owner, at: startedAt } } });
  // The events' time is left to settleItems, which stamps it right before the write: stamped
  // here, it would also count the transaction's reads (and every retry after a write conflict)
  // in the delay live subscribers see. The steps' deadlines may run from a moment earlier.
  const settled = await runOrderTransaction(deps.models, (session) => settleItems(deps.models, session, order._id, outcomes, { guard: { 'claim.owner': deps.owner, state: 'ACKNOWLEDGED' } }));
  return settled !== null;
}

/** What a finished step hands on: the next step, saga fields to keep, the service it created. */
export interface StepResult {
  next: SagaStepName;
  saga?: Record<string, unknown>;
  serviceId?: string;
  milestone: { name: string; description: string };
}

/** One guarded single-document update (no event): true when it applied. */
async function update(deps: SagaDeps, order: ServiceOrderDoc, guard: Record<string, unknown>, change: Record<string, unknown>): Promise<boolean> {
  const res = await deps.models.ServiceOrder.updateOne({ _id: order._id, ...guard }, change);
  return res.matchedCount === 1;
}

/** The item as it is after `set` and `push` were applied to its saga (no need to read it back). */
function applied(item: SagaItem, saga: Record<string, unknown>, attempt: SagaItem['saga']['attempts'][number], serviceId?: string): SagaItem {
  return { ...item, serviceId: serviceId ?? item.serviceId, saga: { ...item.saga, ...saga, attempts: [...item.saga.attempts, attempt] } as SagaItem['saga'] };
}

/**
 * Records a finished step and starts the next (its deadline runs from now); only while the order
 * is IN_PROGRESS. Returns the item as it now is, or null when the guard did not hold.
 */
export async function advance(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, result: StepResult): Promise<SagaItem | null> {
  const at = new Date();
  const p = path(order, item.id);
  const saga = { ...result.saga, step: result.next, stepStartedAt: at };
  const set: Record<string, unknown> = Object.fromEntries(Object.entries(saga).map(([k, v]) => [`${p}.saga.${k}`, v]));
  if (result.serviceId) set[`${p}.serviceId`] = result.serviceId;
  const attempt = { step: result.next, owner: deps.owner, at };
  const push = { [`${p}.saga.attempts`]: attempt, milestones: milestone(item, result.milestone.name, result.milestone.description, at) };
  if (!(await update(deps, order, itemGuard(deps, order, item, { state: 'IN_PROGRESS' }), { $set: set, $push: push }))) return null;
  // The product order item shows its service as soon as inventory has created it. Its items
  // are in the service order's order (decomposition maps them one to one); the id check makes
  // sure. Not in a transaction with the line above: the completion sets it again in any case.
  if (result.serviceId && order.productOrderId) {
    await deps.models.ProductOrder.updateOne({ _id: order.productOrderId, [`${p}.id`]: item.productOrderItemId }, { $set: { [`${p}.serviceId`]: result.serviceId } });
  }
  return applied(item, saga, attempt, result.serviceId);
}

/**
 * The point of no return, right before activation is requested: written only while the order is
 * IN_PROGRESS, so it and an accepted cancellation (which moves the order on) exclude each other.
 */
export async function markActivationRequested(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem): Promise<boolean> {
  const p = path(order, item.id);
  return update(deps, order, itemGuard(deps, order, item, { state: 'IN_PROGRESS' }), { $set: { [`${p}.saga.activationRequestedAt`]: item.saga.activationRequestedAt ?? new Date() } });
}

/** Raises a jeopardy alert (with its ServiceOrderJeopardyEvent) for the item's current step, once per step. */
export async function raiseJeopardy(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, step: SagaStepName): Promise<boolean> {
  const p = path(order, item.id);
  const at = new Date();
  const limit = deps.config.activation.stepDeadlineMs;
  return runOrderTransaction(deps.models, async (session) =>
    (await recordServiceOrderChange(deps.models, session, order._id, {
      guard: itemGuard(deps, order, item, { [`${p}.saga.jeopardyStep`]: { $ne: step } }),
      set: { [`${p}.saga.jeopardyStep`]: step },
      jeopardyAlert: { id: `${order._id}/${item.id}/${step}`, name: `${step.toLowerCase()} overdue`, jeopardyType: 'deadline', message: `item ${item.id}: ${step} did not finish within ${limit} ms`, alertDate: at, itemId: item.id },
      at,
    })) !== null);
}

/**
 * The item stops going forward: it will be compensated, then end as `to` (FAILED with the
 * failure recorded, or CANCELLED). Returns the item as it now is, or null when the guard did not hold.
 */
export async function beginCompensation(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, to: 'FAILED' | 'CANCELLED', failure: StepFailure | null): Promise<SagaItem | null> {
  const p = path(order, item.id);
  const at = new Date();
  const saga = { step: 'COMPENSATING', stepStartedAt: at, compensateTo: to, failure: failure ? { code: failure.code, message: failure.message, timestamp: at } : null };
  const attempt = { step: 'COMPENSATING' as const, owner: deps.owner, at };
  const set = Object.fromEntries(Object.entries(saga).map(([k, v]) => [`${p}.saga.${k}`, v]));
  if (!(await update(deps, order, itemGuard(deps, order, item), { $set: set, $push: { [`${p}.saga.attempts`]: attempt } }))) return null;
  return applied(item, saga, attempt);
}

/** Compensation done: the item ends FAILED (its error recorded) or CANCELLED, and both orders roll up. */
export async function finishCompensation(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem): Promise<boolean> {
  const to = item.saga.compensateTo ?? 'FAILED';
  const failure = item.saga.failure;
  const error = to === 'FAILED' && failure ? { code: failure.code, message: failure.message, timestamp: failure.timestamp, itemId: item.id } : undefined;
  return runOrderTransaction(deps.models, async (session) =>
    (await settleItems(deps.models, session, order._id, [{ itemId: item.id, state: to, error, saga: { step: 'DONE' } }], { guard: itemGuard(deps, order, item) })) !== null);
}

/** Records that this instance (re)started a step it found in progress: after a crash or a takeover. */
export async function recordResume(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, step: WorkStep | 'COMPENSATING'): Promise<SagaItem | null> {
  const attempt = { step, owner: deps.owner, at: new Date() };
  if (!(await update(deps, order, itemGuard(deps, order, item), { $push: { [`${path(order, item.id)}.saga.attempts`]: attempt } }))) return null;
  return applied(item, {}, attempt);
}

/**
 * Completes an item being compensated whose service inventory reports ACTIVE (what the
 * confirmation consumer does, for an activation whose step had failed): COMPLETED with its
 * service, no error recorded, both orders rolled up.
 */
export async function completeActivated(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, serviceId: string, activatedAt: Date | null): Promise<boolean> {
  const at = new Date();
  const note = milestone(item, 'activationConfirmed', `inventory reports service ${serviceId} ACTIVE although its activation step failed: completed, not compensated`, at);
  return runOrderTransaction(deps.models, async (session) =>
    (await settleItems(deps.models, session, order._id, [{ itemId: item.id, state: 'COMPLETED', serviceId, activatedAt: activatedAt ?? undefined, milestone: note, saga: { step: 'DONE', compensateTo: null, failure: null } }], { guard: itemGuard(deps, order, item), at })) !== null);
}
