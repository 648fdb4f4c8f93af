import type { ServiceOrderDoc } from '../../models.js';
import { isTerminalItem } from '../rollup.js';
import { hasSaga, isWorkStep, type SagaDeps, type SagaItem } from './deps.js';
import { runItem } from './item.js';
import { Lease, RUNNABLE_STATES } from './lease.js';
import { beginCompensation, raiseJeopardy, startOrder } from './persist.js';

export interface RunnerOptions {
  /** Service orders worked on at once by this instance. */
  concurrency: number;
  /** How often to look for orders due (new, lease expired after a crash, confirmation overdue). */
  sweepMs: number;
}

/** An order left with work after a pass (unexpected: an interrupted round) is looked at again after this. */
const RETRY_MS = 1_000;
/** Rounds of one pass: each re-reads the order; a bound, so a guard that never holds cannot spin. */
const MAX_ROUNDS = 20;

interface Pass {
  /** Aborted to cut short the round in progress (a cancellation); replaced for the next round. */
  interrupt: AbortController;
  /** Woken while running: pass again once this one ends. */
  again: boolean;
  /** The order's state the round in progress works from. */
  state: ServiceOrderDoc['state'] | null;
}

/**
 * Cuts short a round that does not know of the cancellation yet; a round that is already
 * undoing the order (PENDING_CANCELLATION) is left to finish its compensation.
 */
function interruptForCancellation(pass: Pass): void {
  if (pass.state !== 'PENDING_CANCELLATION') pass.interrupt.abort();
}

/** Items still to be driven: not finished, and in a step the saga itself works on. */
const workItems = (order: ServiceOrderDoc): SagaItem[] =>
  order.items.filter(hasSaga).filter((i) => !isTerminalItem(i.state) && (isWorkStep(i.saga.step) || i.saga.step === 'COMPENSATING'));

/**
 * Runs service order sagas in this instance: woken by the in-process nudges and by a periodic
 * sweep for due orders (which is how a crashed instance's orders are resumed once their lease
 * expires, and how an instance learns of orders another one created). Each pass claims the order
 * (see Lease), drives its items concurrently, and gives the order back with the time it is due
 * again.
 */
export class SagaRunner {
  private readonly active = new Map<string, Pass>();
  private readonly queue = new Set<string>();
  private readonly passes = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(
    private readonly deps: SagaDeps,
    // Two orders at a time per instance. The work is bound by CPU and database: in a 200-order
    // burst, 64 at a time kept as many transactions open and as many round trips queued on this
    // event loop, so every transaction (and the time from a state change's event to its commit)
    // took ~1 s at p50 instead of ~0.1 s — for no more orders per second. The outbox consumers
    // that complete orders share this event loop: each saga in flight delays their write → commit
    // (bench:activation, medians per run: 4 at a time 12.8 orders/s, delivery p50 23 ms p99 87 ms
    // over 9 runs; 2 at a time 11.4 orders/s, p50 17 ms p99 74 ms over 6; 1 at a time 9.8
    // orders/s, p99 62 ms over 3).
    // Scale out with instances (leases share the work), not with in-flight orders.
    private readonly opts: RunnerOptions = { concurrency: 2, sweepMs: 500 },
  ) {}

  start(): void {
    this.sweepTimer = setInterval(() => void this.sweep(), this.opts.sweepMs);
    void this.sweep();
  }

  /** Looks at the order soon; `interrupt` cuts short a step in progress on it (a cancellation). */
  wake(orderId: string, interrupt = false): void {
    if (this.stopping.signal.aborted) return;
    const pass = this.active.get(orderId);
    if (pass) {
      pass.again = true;
      if (interrupt) interruptForCancellation(pass);
      return;
    }
    this.queue.add(orderId);
    this.pump();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.sweepTimer);
    this.queue.clear();
    await Promise.allSettled([...this.passes]);
  }

  private pump(): void {
    for (const orderId of this.queue) {
      if (this.active.size >= this.opts.concurrency) return;
      this.queue.delete(orderId);
      const pass: Pass = { interrupt: new AbortController(), again: false, state: null };
      this.active.set(orderId, pass);
      const running = this.pass(orderId, pass)
        .catch((err: Error) => this.deps.log(`saga ${orderId}: pass failed (${err.message}); the sweep retries it`))
        .finally(() => {
          this.active.delete(orderId);
          this.passes.delete(running);
          if (pass.again) this.wake(orderId);
          this.pump();
        });
      this.passes.add(running);
    }
  }

  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopping.signal.aborted) return;
    this.sweeping = true;
    try {
      const now = new Date();
      const due = await this.deps.models.ServiceOrder.find({ sagaWakeAt: { $lte: now }, 'claim.until': { $lt: now }, state: { $in: RUNNABLE_STATES } }, { _id: 1 })
        .limit(this.opts.concurrency * 4).lean<{ _id: string }[]>();
      for (const { _id } of due) if (!this.active.has(_id)) this.wake(_id);
    } catch (err) {
      if (!this.stopping.signal.aborted) this.deps.log(`saga sweep failed (${(err as Error).message})`);
    } finally {
      this.sweeping = false;
    }
  }

  private async pass(orderId: string, pass: Pass): Promise<void> {
    const claimed = await Lease.claim(this.deps, orderId, () => interruptForCancellation(pass));
    if (!claimed) return;
    const { lease } = claimed;
    let order: ServiceOrderDoc | null = claimed.order;
    try {
      for (let round = 0; order && round < MAX_ROUNDS; round++) {
        const signal = AbortSignal.any([this.stopping.signal, lease.signal, pass.interrupt.signal]);
        pass.state = order.state;
        const more = await this.round(order, signal);
        if (this.stopping.signal.aborted || lease.signal.aborted) break;
        if (pass.interrupt.signal.aborted) pass.interrupt = new AbortController(); // seen: the next round re-reads
        order = await this.deps.models.ServiceOrder.findById(orderId).lean<ServiceOrderDoc>();
        if (!more) break;
      }
    } catch (err) {
      // What the order looks like now is unknown: give it back due soon, and let the sweep retry.
      if (order) await lease.release(order.state, new Date(Date.now() + RETRY_MS)).catch(() => {});
      order = null;
      throw err;
    } finally {
      if (order) await lease.release(order.state, this.dueAgain(order));
      else lease.end();
    }
  }

  /** One look at the order; true when something was done and the order should be re-read. */
  private async round(order: ServiceOrderDoc, signal: AbortSignal): Promise<boolean> {
    const { deps } = this;
    switch (order.state) {
      case 'ACKNOWLEDGED':
        return startOrder(deps, order, order.items.filter(hasSaga));
      case 'PENDING_CANCELLATION': {
        // Everything not finished is undone; items already activating were refused by the
        // cancellation, so none is among these.
        const stopping = order.items.filter(hasSaga).filter((i) => !isTerminalItem(i.state) && isWorkStep(i.saga.step));
        for (const item of stopping) await beginCompensation(deps, order, item, 'CANCELLED', null);
        if (stopping.length) return true;
        break;
      }
      case 'IN_PROGRESS':
        break;
      default:
        return false;
    }
    const work = workItems(order);
    if (!work.length) {
      await this.flagOverdueConfirmations(order);
      return false;
    }
    await Promise.all(work.map((item) => runItem(deps, order, item, signal)));
    return true;
  }

  /**
   * An item activated but never confirmed (inventory's event is late: its outbox or our consumer
   * is behind) raises a jeopardy alert once. It does not fail: the service is active in the
   * network, and the confirmation will come — the consumer never skips an event.
   */
  private async flagOverdueConfirmations(order: ServiceOrderDoc): Promise<void> {
    const limit = this.deps.config.activation.stepDeadlineMs;
    for (const item of order.items.filter(hasSaga)) {
      const { step, stepStartedAt, jeopardyStep } = item.saga;
      if (step !== 'AWAITING_CONFIRMATION' || jeopardyStep === step || !stepStartedAt || stepStartedAt.getTime() + limit > Date.now()) continue;
      await raiseJeopardy(this.deps, order, item, step);
    }
  }

  /** When the order needs the saga again; null when only an event (a confirmation) can move it. */
  private dueAgain(order: ServiceOrderDoc): Date | null {
    if (!RUNNABLE_STATES.includes(order.state)) return null;
    if (order.state === 'ACKNOWLEDGED' || workItems(order).length) return new Date(Date.now() + RETRY_MS);
    const limit = this.deps.config.activation.stepDeadlineMs;
    const overdueAt = order.items.filter(hasSaga)
      .filter((i) => !isTerminalItem(i.state) && i.saga.step === 'AWAITING_CONFIRMATION' && i.saga.jeopardyStep !== i.saga.step && i.saga.stepStartedAt)
      .map((i) => i.saga.stepStartedAt!.getTime() + limit);
    return overdueAt.length ? new Date(Math.min(...overdueAt)) : null;
  }
}
