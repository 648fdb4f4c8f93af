import type { ServiceOrderDoc } from '../../models.js';
import type { SagaDeps } from './deps.js';

/** Service order states the saga has work in. */
export const RUNNABLE_STATES: readonly ServiceOrderDoc['state'][] = ['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING_CANCELLATION'];
const FREE = { owner: null, until: new Date(0) };

/**
 * This instance's claim on one service order: exactly one instance runs an order's saga at a
 * time. Claimed atomically (`findOneAndUpdate` on an expired lease), renewed every third of the
 * lease while the work goes on; if a renewal finds the claim gone (this instance stalled past its
 * lease and another took over) `signal` aborts and every write of this instance is refused by
 * its `claim.owner` guard. The renewal also reads the order's state, so a cancellation accepted
 * by another instance interrupts the work here within a third of a lease.
 */
export class Lease {
  private readonly lost = new AbortController();
  /** Aborted when the lease is lost. */
  readonly signal = this.lost.signal;
  private timer: NodeJS.Timeout | undefined;
  private until: number;

  private constructor(
    private readonly deps: SagaDeps,
    private readonly orderId: string,
    until: Date,
    private readonly onCancelling: () => void,
  ) {
    this.until = until.getTime();
    const every = Math.max(50, Math.floor(deps.config.activation.sagaLeaseMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
  }

  /** Claims the order if it is runnable and nobody holds it; null otherwise. */
  static async claim(deps: SagaDeps, orderId: string, onCancelling: () => void): Promise<{ lease: Lease; order: ServiceOrderDoc } | null> {
    const now = Date.now();
    const until = new Date(now + deps.config.activation.sagaLeaseMs);
    const order = await deps.models.ServiceOrder.findOneAndUpdate(
      { _id: orderId, state: { $in: RUNNABLE_STATES }, 'claim.until': { $lt: new Date(now) } },
      { $set: { claim: { owner: deps.owner, until } } },
      { returnDocument: 'after', timestamps: false },
    ).lean<ServiceOrderDoc>();
    return order ? { lease: new Lease(deps, orderId, until, onCancelling), order } : null;
  }

  private async renew(): Promise<void> {
    if (this.signal.aborted) return;
    const until = new Date(Date.now() + this.deps.config.activation.sagaLeaseMs);
    try {
      const order = await this.deps.models.ServiceOrder.findOneAndUpdate(
        { _id: this.orderId, 'claim.owner': this.deps.owner },
        { $set: { 'claim.until': until } },
        { projection: { state: 1 }, returnDocument: 'after', timestamps: false },
      ).lean<Pick<ServiceOrderDoc, 'state'>>();
      if (!order) return this.lose('taken over');
      this.until = until.getTime();
      if (order.state === 'PENDING_CANCELLATION') this.onCancelling();
    } catch (err) {
      // The database did not answer: once the lease may have run out, another instance may
      // have the order, so stop before that.
      if (Date.now() >= this.until - this.deps.config.activation.sagaLeaseMs / 3) this.lose(`not renewed (${(err as Error).message})`);
    }
  }

  /** Stops renewing without giving the order back (it is gone): the lease runs out by itself. */
  end(): void {
    clearInterval(this.timer);
  }

  private lose(why: string): void {
    this.deps.log(`saga ${this.orderId}: lease lost (${why})`);
    clearInterval(this.timer);
    this.lost.abort(new Error('lease lost'));
  }

  /**
   * Gives the order back, due again at `wakeAt` (absent: nothing to do until an event comes).
   * The due time is only written if the order is still in the state the caller last saw: a
   * cancellation that landed meanwhile set its own.
   */
  async release(seenState: ServiceOrderDoc['state'], wakeAt: Date | null): Promise<void> {
    this.end();
    if (this.signal.aborted) return;
    const { ServiceOrder } = this.deps.models;
    const mine = { _id: this.orderId, 'claim.owner': this.deps.owner };
    const update = wakeAt ? { $set: { claim: FREE, sagaWakeAt: wakeAt } } : { $set: { claim: FREE }, $unset: { sagaWakeAt: '' } };
    const res = await ServiceOrder.updateOne({ ...mine, state: seenState }, update, { timestamps: false });
    if (res.matchedCount === 0) await ServiceOrder.updateOne(mine, { $set: { claim: FREE } }, { timestamps: false });
  }
}
