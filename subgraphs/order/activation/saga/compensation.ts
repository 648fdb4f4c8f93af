import type { ServiceOrderDoc } from '../../models.js';
import { adapterFor } from '../adapters/index.js';
import { classify } from '../failures.js';
import { findReservation, release, type Reservation } from '../inventory-api.js';
import { backoff, sleep, type SagaDeps, type SagaItem } from './deps.js';
import { completeActivated, finishCompensation } from './persist.js';
import { configureRequest } from './steps.js';

/**
 * Runs one undo action until it is done: transient failures are retried (an undo cannot be
 * skipped: capacity or configuration would leak), a refusal is logged and given up (nothing
 * retrying could change). False only when interrupted (lease lost, shutdown): the next owner
 * compensates again — every undo is idempotent.
 */
async function undo(deps: SagaDeps, what: string, action: () => Promise<void>, signal: AbortSignal): Promise<boolean> {
  for (let n = 0; ; n++) {
    if (signal.aborted) return false;
    try {
      await action();
      return true;
    } catch (err) {
      const failure = classify(err);
      if (failure.permanent) {
        deps.log(`compensation: ${what} refused (${failure.code}: ${failure.message}); giving up on it`);
        return true;
      }
      deps.log(`compensation: ${what} failed transiently (${failure.message}); retrying`);
    }
    if (!(await sleep(backoff(n, 5_000), signal))) return false;
  }
}

/**
 * Undoes an item's saga in reverse order of doing (unless its activation turned out to have
 * landed, see above): every configured resource is rolled back
 * (all reserved resources in reverse — a rollback of one never configured is a no-op, which
 * covers a crash mid-configuration), then the reservation is released (capacity back, service
 * TERMINATED), then the item ends FAILED or CANCELLED and the orders roll up.
 */
export async function compensate(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, signal: AbortSignal): Promise<boolean> {
  const reservationId = item.saga.reservationId;
  // Past the point of no return the activation may have landed although its step failed (a
  // timeout that hid the answer, a crash before it was recorded). Inventory knows: an ACTIVE
  // service is rolled forward — completed — never failed while it runs and is billed.
  if (item.saga.activationRequestedAt && reservationId) {
    const probe: { held?: Reservation | null } = {};
    if (!(await undo(deps, `state of ${reservationId}`, async () => void (probe.held = await findReservation(deps.config, reservationId)), signal))) return false;
    if (probe.held?.state === 'ACTIVE') {
      deps.log(`saga ${order._id}/${item.id}: ${reservationId} is ACTIVE in inventory; completing instead of compensating`);
      return completeActivated(deps, order, item, probe.held.serviceId, probe.held.activatedAt);
    }
  }
  const why = item.saga.failure?.message ?? (item.saga.compensateTo === 'CANCELLED' ? 'order cancelled' : 'compensation');
  for (const resource of [...item.saga.resources].reverse()) {
    const adapter = adapterFor(resource.category, deps.network.adapters);
    if (!adapter) continue;
    if (!(await undo(deps, `${adapter.name} rollback of ${resource.id}`, () => adapter.rollback(configureRequest(order, item, resource)), signal))) return false;
  }
  if (reservationId && !(await undo(deps, `release of ${reservationId}`, () => release(deps.config, reservationId, why), signal))) return false;
  return finishCompensation(deps, order, item);
}
