import type { OutboxRecord } from './events.js';

/** What a live subscription hands out: an event, standing for `coalesced` changes of its subject. */
export interface Delivery<E extends OutboxRecord = OutboxRecord> {
  event: E;
  /** The state before the first change this delivery stands for (what the subscriber saw last). */
  previousState: string | null;
  /** How many changes this delivery stands for: 1 unless later changes replaced earlier ones. */
  coalesced: number;
  /** The subject as read ahead for a batch of deliveries (see LiveFeedOptions.preload); undefined until then. */
  preloaded?: unknown;
}

/** How the queue of one subscription coalesces. */
export interface CoalesceRule<E extends OutboxRecord> {
  /** Changes of the same subject (one alarm) may replace each other; null = never coalesced. */
  subject(event: E): string | null;
  /** A final change (an alarm's clear): delivered at once and never replaced. */
  final(event: E): boolean;
  previousState(event: E): string | null;
  /** Window within which a subject's changes reach the subscriber as one; 0 = no coalescing. */
  windowMs: number;
}

interface Entry<E extends OutboxRecord> {
  delivery: Delivery<E>;
  subject: string | null;
  /** Not handed out before this time (ms since epoch). */
  releaseAt: number;
}

/**
 * The outgoing queue of one live subscription, in `seq` order, coalescing an alarm storm.
 *
 * The first change of an alarm goes out at once. Further changes of it within `windowMs` of the
 * last one handed out wait for the window to pass; meanwhile each newer change replaces the
 * waiting one (and moves to the back, to its own `seq` position), so only the latest state
 * within a window reaches the client. A clear is never replaced and never waits.
 *
 * Order is kept across alarms: the queue is handed out strictly from its head, so a held change
 * delays the changes behind it (by at most one window). That is what keeps the cursors handed out
 * increasing: a client resuming after any cursor misses nothing but changes already superseded.
 * A slow client is served the same way: whatever waits in the queue keeps being coalesced.
 */
export class CoalescingQueue<E extends OutboxRecord> {
  // Map iteration is insertion order: delete + set moves an entry to the back in O(1).
  private readonly entries = new Map<number, Entry<E>>();
  private readonly waiting = new Map<string, Entry<E>>();
  /** When each subject was last handed out; pruned as windows pass. */
  private readonly lastOut = new Map<string, number>();
  private pruneAbove = 4096;

  constructor(private readonly rule: CoalesceRule<E>) {}

  get size(): number {
    return this.entries.size;
  }

  push(event: E, now = Date.now()): void {
    const subject = this.rule.windowMs > 0 ? this.rule.subject(event) : null;
    const final = this.rule.final(event);
    const earlier = subject === null ? undefined : this.waiting.get(subject);
    const delivery: Delivery<E> = earlier
      ? { event, previousState: earlier.delivery.previousState, coalesced: earlier.delivery.coalesced + 1 }
      : { event, previousState: this.rule.previousState(event), coalesced: 1 };
    if (earlier) this.entries.delete(earlier.delivery.event.seq);
    const last = subject === null ? undefined : this.lastOut.get(subject);
    const releaseAt = final || last === undefined ? now : Math.max(now, last + this.rule.windowMs);
    const entry: Entry<E> = { delivery, subject, releaseAt };
    this.entries.set(event.seq, entry);
    if (subject === null) return;
    if (final) this.waiting.delete(subject); // a later change of it starts a new entry
    else this.waiting.set(subject, entry);
  }

  /**
   * The head of the queue if it may go out at `now` (removed), else when it may (`wait` ms);
   * `undefined` when the queue is empty.
   */
  take(now = Date.now()): { delivery: Delivery<E> } | { wait: number } | undefined {
    const head = this.entries.values().next();
    if (head.done) return undefined;
    const entry = head.value;
    if (entry.releaseAt > now) return { wait: entry.releaseAt - now };
    this.entries.delete(entry.delivery.event.seq);
    if (entry.subject !== null) {
      if (this.waiting.get(entry.subject) === entry) this.waiting.delete(entry.subject);
      this.lastOut.set(entry.subject, now);
      if (this.lastOut.size > this.pruneAbove) this.prune(now);
    }
    return { delivery: entry.delivery };
  }

  /** The next `n` deliveries waiting, head first, without taking them (to read ahead for them). */
  peek(n: number): Delivery<E>[] {
    const out: Delivery<E>[] = [];
    for (const entry of this.entries.values()) {
      if (out.length >= n) break;
      out.push(entry.delivery);
    }
    return out;
  }

  /** Forgets subjects whose window has passed: in a storm of distinct alarms the map would only grow. */
  private prune(now: number): void {
    for (const [subject, at] of this.lastOut) if (at + this.rule.windowMs <= now) this.lastOut.delete(subject);
    // Amortised: a storm of alarms all within their window must not make every take a full sweep.
    this.pruneAbove = Math.max(4096, 2 * this.lastOut.size);
  }
}
