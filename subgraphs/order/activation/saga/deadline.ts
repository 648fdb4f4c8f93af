import { orderRef, backoff, sleep, type SagaDeps, type SagaItem, type WorkStep } from './deps.js';
import { classify, StepFailure } from '../failures.js';
import type { ServiceOrderDoc } from '../../models.js';
import { markActivationRequested, raiseJeopardy, type StepResult } from './persist.js';
import { Interrupted, STEPS, type StepRun } from './steps.js';

/** How a step ended: go on, fail the item, or stop (the caller re-reads the order). */
export type StepOutcome = { kind: 'advance'; result: StepResult } | { kind: 'fail'; failure: StepFailure } | { kind: 'interrupted' };

const INTERRUPTED: StepOutcome = { kind: 'interrupted' };

/** Whether an attempt is changing the outside world right now (a network or inventory call in flight). */
interface Tracker {
  inEffect: boolean;
}

/**
 * Attempts the step until it succeeds or fails for good: the fault hook first (tests and chaos
 * runs delay or fail steps there), then the step; transient failures (outages, retryable element
 * errors) are retried with backoff until `signal` aborts. Never rejects.
 */
async function attempt(run: StepRun, step: WorkStep, tracker: Tracker): Promise<StepOutcome> {
  for (let n = 0; ; n++) {
    try {
      await run.deps.network.faults.before(step, orderRef(run.order, run.item));
      if (run.signal.aborted) return INTERRUPTED;
      return { kind: 'advance', result: await STEPS[step](run) };
    } catch (err) {
      if (err instanceof Interrupted) return INTERRUPTED;
      const failure = classify(err);
      if (failure.permanent) return { kind: 'fail', failure };
      run.deps.log(`saga ${run.order._id}/${run.item.id}: ${step} failed transiently (${failure.code}: ${failure.message}); retrying`);
    } finally {
      tracker.inEffect = false;
    }
    if (!(await sleep(backoff(n), run.signal))) return INTERRUPTED;
  }
}

/**
 * Runs one step under its deadline (from the persisted `stepStartedAt`, so a step resumed after
 * a crash keeps its original deadline). Past the deadline: a jeopardy alert, then the item fails
 * — once any call in flight has answered, so compensation never races it. An activation that
 * lands late is kept: an active service cannot be released, only completed. `interrupt` (a
 * cancellation, a lost lease, shutdown) ends the step at once unless a call is in flight.
 */
export async function runStep(deps: SagaDeps, order: ServiceOrderDoc, item: SagaItem, step: WorkStep, interrupt: AbortSignal): Promise<StepOutcome> {
  const limit = deps.config.activation.stepDeadlineMs;
  const deadlineAt = (item.saga.stepStartedAt?.getTime() ?? Date.now()) + limit;
  const stop = new AbortController();
  const tracker: Tracker = { inEffect: false };
  const run: StepRun = {
    deps, order, item,
    signal: AbortSignal.any([interrupt, stop.signal]),
    effect: () => (tracker.inEffect = true),
    markActivationRequested: () => markActivationRequested(deps, order, item),
  };
  const attempted = attempt(run, step, tracker);
  let timer: NodeJS.Timeout | undefined;
  let onInterrupt: (() => void) | undefined;
  const first = await Promise.race([
    attempted,
    new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), Math.max(0, deadlineAt - Date.now())))),
    new Promise<'interrupt'>((resolve) => {
      onInterrupt = () => resolve('interrupt');
      if (interrupt.aborted) onInterrupt();
      else interrupt.addEventListener('abort', onInterrupt, { once: true });
    }),
  ]);
  clearTimeout(timer);
  if (onInterrupt) interrupt.removeEventListener('abort', onInterrupt);
  if (typeof first === 'object') return first;
  // Aborting first (synchronously) means no new call starts: `inEffect` stays as it is now.
  stop.abort();
  if (first === 'interrupt') return tracker.inEffect ? attempted : INTERRUPTED;

  await raiseJeopardy(deps, order, item, step).catch((err: Error) => deps.log(`saga ${order._id}/${item.id}: jeopardy not recorded (${err.message})`));
  if (tracker.inEffect) {
    const late = await attempted;
    if (late.kind === 'advance' && step === 'ACTIVATION') return late;
  }
  return { kind: 'fail', failure: new StepFailure('DEADLINE_EXCEEDED', `${step} did not finish within ${limit} ms`, true) };
}
