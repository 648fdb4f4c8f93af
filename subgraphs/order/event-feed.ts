import { OrderEventHub, type EventListener, type EventSubject } from './event-hub.js';
import type { Models, OrderEventDoc } from './models.js';
import { subscriptionReads } from './subscription-reads.js';

/**
 * The live events of one order, as the process's shared hub hands them over, queued until the
 * feed asks for them. Joining resolves once the hub's change stream is open: every event
 * committed after that is delivered.
 */
class LiveEvents implements EventListener {
  private readonly queue: OrderEventDoc[] = [];
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private ended = false;
  private hub: OrderEventHub | undefined;

  private constructor(private readonly subject: EventSubject) {}

  static async join(models: Models, subject: EventSubject): Promise<LiveEvents> {
    const live = new LiveEvents(subject);
    live.hub = await OrderEventHub.join(models, subject, live);
    return live;
  }

  event(event: OrderEventDoc): void {
    this.queue.push(event);
    this.signal();
  }

  fail(error: Error): void {
    this.failure = error;
    this.signal();
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The next event; null once closed. */
  async next(): Promise<OrderEventDoc | null> {
    for (;;) {
      if (this.failure) throw this.failure;
      const event = this.queue.shift();
      if (event) return event;
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async close(): Promise<void> {
    this.ended = true;
    this.signal();
    await this.hub?.leave(this.subject, this);
  }
}

/** Whose history a feed follows: one product order or one service order (their events share the outbox). */
export type FeedSubject = EventSubject;

/**
 * The outbox events of `subject`, as conditions on the stored event. Service order events also
 * name the product order they serve; they are not part of the product order's own history.
 */
function subjectFilter(subject: FeedSubject): Record<string, unknown> {
  return subject.key === 'productOrderId' ? { productOrderId: subject.id, serviceOrderId: { $exists: false } } : { serviceOrderId: subject.id };
}

/**
 * One order's event history after `afterVersion`, then its live events: ordered by version, each
 * exactly once. The feed joins the live events BEFORE the history is read, so an event committed
 * between the two is in the history, the stream or both — never in neither; duplicates are
 * dropped by version. A live event that skips versions (not expected: versions commit in
 * order) is preceded by the missing ones, read back from the outbox.
 *
 * A hand-written iterator rather than an async generator: `return()` (client unsubscribed or
 * disconnected) must leave the live events at once, even while `next()` waits for an event —
 * an async generator would queue the `return()` behind that wait.
 */
export class OrderEventFeed implements AsyncIterableIterator<OrderEventDoc> {
  private static openFeeds = 0;
  /** Feeds open in this process: diagnostics, and tests proving cleanup. */
  static get active(): number {
    return OrderEventFeed.openFeeds;
  }

  private pending: OrderEventDoc[] | undefined; // undefined until the history is read
  private last: number;
  private gapCheckedFor: OrderEventDoc | undefined;
  private closed = false;
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly models: Models,
    private readonly subject: FeedSubject,
    afterVersion: number,
    private readonly live: LiveEvents,
  ) {
    this.last = afterVersion;
  }

  /** Joins the live events (the shared change stream is open then); then the feed may be iterated. */
  static async open(models: Models, subject: FeedSubject, afterVersion: number): Promise<OrderEventFeed> {
    const live = await LiveEvents.join(models, subject);
    OrderEventFeed.openFeeds += 1;
    return new OrderEventFeed(models, subject, afterVersion, live);
  }

  /** The history after `after`: read with the other feeds opening at the same moment. */
  private async historyAfter(after: number): Promise<OrderEventDoc[]> {
    return (await subscriptionReads(this.models).history.load(this.subject)).filter((e) => e.version > after);
  }

  private versionsBetween(after: number, before: number): Promise<OrderEventDoc[]> {
    return this.models.OrderEvent.find({ ...subjectFilter(this.subject), version: { $gt: after, $lt: before } }).sort({ version: 1 }).lean<OrderEventDoc[]>().exec();
  }

  private async step(): Promise<IteratorResult<OrderEventDoc>> {
    this.pending ??= await this.historyAfter(this.last);
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const event = this.pending.shift() ?? (await this.live.next());
      if (!event) return { done: true, value: undefined };
      if (event.version <= this.last) continue; // already delivered (history and stream overlap)
      if (event.version > this.last + 1 && this.gapCheckedFor !== event) {
        this.gapCheckedFor = event;
        this.pending.unshift(...(await this.versionsBetween(this.last, event.version)), event);
        continue;
      }
      this.last = event.version;
      return { done: false, value: event };
    }
  }

  next(): Promise<IteratorResult<OrderEventDoc>> {
    // Serialised: a caller that does not wait for one event before asking for the next still
    // gets them in order.
    const result = this.tail.then(() => this.step());
    this.tail = result.catch(() => {});
    return result;
  }

  async return(): Promise<IteratorResult<OrderEventDoc>> {
    if (!this.closed) {
      this.closed = true;
      OrderEventFeed.openFeeds -= 1;
      await this.live.close();
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
