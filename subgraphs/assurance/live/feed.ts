import { GraphQLError } from 'graphql';
import type { Models } from '../models.js';
import { CoalescingQueue, type CoalesceRule, type Delivery } from './coalesce.js';
import { outboxCollection, type OutboxRecord } from './events.js';
import { OutboxHub, type HubListener } from './hub.js';

/** Which outbox events one subscription streams, and from where. */
export interface LiveFeedOptions<E extends OutboxRecord> {
  /** Conditions on stored events, for the replay (the same events `matches` keeps). */
  query: Record<string, unknown>;
  /** Cheap, stateless test of a live event (type, subject): only these are buffered. */
  matches(event: OutboxRecord): event is E;
  /** Optional further test, run once per event in `seq` order (it may keep state). */
  select?(event: E): boolean;
  /** Replay the events after this `seq` first; live only when undefined. */
  after?: number;
  coalesce: CoalesceRule<E>;
  /**
   * Reads what the deliveries will resolve (one value per event, in order), for the delivery
   * handed out and those queued behind it, in one query: in a storm each event would otherwise
   * cost its subscriber a database round trip.
   */
  preload?(models: Models, events: E[]): Promise<unknown[]>;
  log?: (msg: string) => void;
}

/** Events waiting for a subscriber before it is failed as too slow (it resumes by cursor). */
export const MAX_PENDING = 100_000;
/** Replay reads the outbox a page at a time, only while the subscriber's queue is short. */
const REPLAY_PAGE = 500;
/** Deliveries read ahead per preload query. */
const PRELOAD_BATCH = 500;

/**
 * One live subscription over the assurance outbox: with `after`, the stored events after that
 * `seq`, then live ones; without, live ones only. In `seq` order, each at most once, coalesced
 * per `coalesce`.
 *
 * No gap, no duplicate: the subscription joins the shared hub BEFORE reading the replay, and the
 * hub says from which `seq` on it will deliver (`upTo`); the replay reads up to exactly that
 * `seq`, the hub delivers everything above it. Live events that arrive during the replay wait
 * behind it.
 *
 * A hand-written iterator: `return()` (client gone) must take effect at once, even while `next()`
 * waits — an async generator would queue it behind that wait.
 */
export class LiveFeed<E extends OutboxRecord> implements AsyncIterableIterator<Delivery<E>> {
  private readonly queue: CoalescingQueue<E>;
  private readonly backlog: E[] = [];
  private hub: OutboxHub | undefined;
  private upTo = 0;
  private replayedTo: number | undefined;
  private lastSeq = 0;
  private failure: Error | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listener: HubListener = {
    event: (event) => this.arrive(event),
    fail: (error) => this.fail(new GraphQLError(`live alarm feed interrupted (${error.message}); resume with the last cursor`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } })),
  };

  private constructor(
    private readonly models: Models,
    private readonly opts: LiveFeedOptions<E>,
  ) {
    this.queue = new CoalescingQueue(opts.coalesce);
    this.replayedTo = opts.after;
    this.lastSeq = opts.after ?? 0;
  }

  /** Joins the outbox hub; the feed may be iterated once this resolves. */
  static async open<E extends OutboxRecord>(models: Models, opts: LiveFeedOptions<E>): Promise<LiveFeed<E>> {
    const feed = new LiveFeed(models, opts);
    const { hub, from } = await OutboxHub.join(models, feed.listener, opts.log);
    feed.hub = hub;
    feed.upTo = from;
    // A cursor at or past what the hub has seen (another instance's hub may lag behind the one
    // that handed it out): nothing stored to replay; `lastSeq` keeps what it covers from going out again.
    if (opts.after !== undefined && opts.after >= from) feed.endReplay();
    return feed;
  }

  private get replaying(): boolean {
    return this.replayedTo !== undefined;
  }

  private arrive(event: OutboxRecord): void {
    if (this.closed || !this.opts.matches(event)) return;
    if (this.replaying) this.backlog.push(event);
    else this.enqueue(event);
    if (this.backlog.length + this.queue.size > MAX_PENDING) {
      this.fail(new GraphQLError(`subscription fell behind: more than ${MAX_PENDING} changes waiting; resume with the last cursor`, { extensions: { code: 'SUBSCRIPTION_OVERFLOW' } }));
    }
    this.signal();
  }

  private enqueue(event: E): void {
    if (event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    if (this.opts.select && !this.opts.select(event)) return;
    this.queue.push(event);
  }

  /** Reads the next replay page into the queue; the last page hands over to the live backlog. */
  private async replayPage(): Promise<void> {
    const from = this.replayedTo!;
    const page = await outboxCollection(this.models)
      .find({ ...this.opts.query, seq: { $gt: from, $lte: this.upTo } })
      .sort({ seq: 1 })
      .limit(REPLAY_PAGE)
      .toArray();
    if (this.closed) return;
    for (const doc of page) if (this.opts.matches(doc)) this.enqueue(doc);
    if (page.length === REPLAY_PAGE) this.replayedTo = page[page.length - 1].seq;
    else this.endReplay();
  }

  /** The replay is done: live events that came meanwhile follow it. */
  private endReplay(): void {
    this.replayedTo = undefined;
    for (const event of this.backlog.splice(0)) this.enqueue(event);
  }

  private async step(): Promise<IteratorResult<Delivery<E>>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      if (this.failure) throw this.failure;
      if (this.replaying && this.queue.size < REPLAY_PAGE) {
        await this.replayPage();
        continue;
      }
      const taken = this.queue.take();
      if (taken && 'delivery' in taken) {
        if (this.opts.preload && taken.delivery.preloaded === undefined) await this.preload(taken.delivery);
        return { done: false, value: taken.delivery };
      }
      await new Promise<void>((resolve) => {
        const timer = taken ? setTimeout(resolve, taken.wait) : undefined;
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async preload(head: Delivery<E>): Promise<void> {
    const batch = [head, ...this.queue.peek(PRELOAD_BATCH - 1).filter((d) => d.preloaded === undefined)];
    const values = await this.opts.preload!(this.models, batch.map((d) => d.event));
    batch.forEach((d, i) => (d.preloaded = values[i] ?? null));
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private fail(error: Error): void {
    if (this.failure || this.closed) return;
    this.failure = error;
    void this.release();
    this.signal();
  }

  private async release(): Promise<void> {
    const hub = this.hub;
    this.hub = undefined;
    await hub?.leave(this.listener);
  }

  next(): Promise<IteratorResult<Delivery<E>>> {
    // Serialised: a caller that does not wait for one event before asking for the next still gets them in order.
    // A failing read ends the subscription: graphql-ws will not call `return()` after a rejected
    // `next()`, so the hub is left here.
    const result = this.tail.then(() => this.step()).catch(async (err: unknown) => {
      this.closed = true;
      await this.release();
      throw err;
    });
    this.tail = result.catch(() => {});
    return result;
  }

  async return(): Promise<IteratorResult<Delivery<E>>> {
    if (!this.closed) {
      this.closed = true;
      this.signal();
      await this.release();
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
