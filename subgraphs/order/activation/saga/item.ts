import type { ServiceOrderDoc } from '../../models.js';
import { compensate } from './compensation.js';
import { runStep } from './deadline.js';
import { isWorkStep, type SagaDeps, type SagaItem } from './deps.js';
import { advance, beginCompensation, recordResume } from './persist.js';

/**
 * Drives one item from its persisted step until it waits for inventory's confirmation, is done,
 * or cannot go on here (interrupted, lease lost, the order moved on): then the runner re-reads
 * the order and decides. Every transition is a guarded write, so a confirmation or cancellation
 * that landed meanwhile stops the item here instead of being overwritten.
 */
export async function runItem(deps: SagaDeps, order: ServiceOrderDoc, start: SagaItem, interrupt: AbortSignal): Promise<void> {
  let item: SagaItem | null = start;
  while (item && !interrupt.aborted) {
    const { step } = item.saga;
    if (step !== 'COMPENSATING' && !isWorkStep(step)) return; // AWAITING_CONFIRMATION or DONE
    // The attempt log names who runs each step: a step found in progress was begun by another
    // instance or before a restart, and its resumption is on record too.
    const last = item.saga.attempts.at(-1);
    if (last?.owner !== deps.owner || last.step !== step) {
      item = await recordResume(deps, order, item, step);
      if (!item) return;
    }
    if (step === 'COMPENSATING') {
      await compensate(deps, order, item, interrupt);
      return;
    }
    const outcome = await runStep(deps, order, item, step, interrupt);
    if (outcome.kind === 'interrupted') return;
    if (outcome.kind === 'fail') deps.log(`saga ${order._id}/${item.id}: ${step} failed (${outcome.failure.code}: ${outcome.failure.message}); compensating`);
    // Each write returns the item as it now is, or null when the item or the order moved on
    // meanwhile (a confirmation, a cancellation, a lost lease): then the runner re-reads.
    item = outcome.kind === 'advance'
      ? await advance(deps, order, item, outcome.result)
      : await beginCompensation(deps, order, item, 'FAILED', outcome.failure);
  }
}
