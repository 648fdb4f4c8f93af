import type { OutboxEvent } from './types.js';

interface Slot {
  cursor: string | undefined;
  /** The feed's caught-up marker: reaching it handled means the consumer is ready. */
  marker: boolean;
  done: boolean;
}

/**
 * The events of one feed connection being handled: up to `concurrency` at once (events sharing an
 * ordering key one after the other), while the stored cursor only ever moves to the end of the
 * longest prefix that is fully handled — so a restart re-reads (and, with `onceOnly`, skips) at
 * most what was in flight, and never skips an event that was not handled. Cursor writes are
 * coalesced: while one is stored, later positions wait and only the newest is written next.
 */
export class DeliveryWindow {
  private readonly slots: Slot[] = [];
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private saving: Promise<void> | undefined;
  private pendingCursor: string | undefined;
  private readyPending = false;

  constructor(
    private readonly concurrency: number,
    private readonly keyOf: ((event: OutboxEvent) => string | undefined) | undefined,
    private readonly deliver: (event: OutboxEvent) => Promise<boolean>,
    private readonly save: (cursor: string) => Promise<void>,
    private readonly markReady: () => void,
  ) {}

  /** Takes the next feed line (its event, when one is to be handled); false once stopped. */
  async push(event: OutboxEvent | undefined, cursor: string | undefined, marker: boolean): Promise<boolean> {
    if (this.stopped) return false;
    const slot: Slot = { cursor, marker, done: event === undefined };
    this.slots.push(slot);
    if (!event) {
      this.advance();
      return true;
    }
    while (this.running.size >= this.concurrency) await Promise.race(this.running);
    if (this.stopped) return false;
    const key = this.keyOf?.(event);
    const before = key === undefined ? undefined : this.tails.get(key);
    const task = (async () => {
      await before;
      if (!(await this.deliver(event))) {
        this.stopped = true; // stop() interrupted a retry: this event stays unhandled
        return;
      }
      slot.done = true;
      this.advance();
    })();
    if (key !== undefined) {
      this.tails.set(key, task);
      void task.finally(() => this.tails.get(key) === task && this.tails.delete(key));
    }
    const tracked = task.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    if (this.concurrency === 1) await tracked;
    return !this.stopped;
  }

  /** Waits for the events in flight and the last cursor write. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
    while (this.saving) await this.saving;
  }

  private advance(): void {
    let cursor: string | undefined;
    while (this.slots.length && this.slots[0].done) {
      const slot = this.slots.shift()!;
      if (slot.cursor !== undefined) cursor = slot.cursor;
      if (slot.marker) this.readyPending = true;
    }
    if (cursor === undefined && !this.readyPending) return;
    if (cursor !== undefined) this.pendingCursor = cursor;
    this.flush();
  }

  private flush(): void {
    if (this.saving) return;
    const cursor = this.pendingCursor;
    const ready = this.readyPending;
    this.pendingCursor = undefined;
    this.readyPending = false;
    if (cursor === undefined) {
      if (ready) this.markReady();
      return;
    }
    this.saving = this.save(cursor)
      .then(() => {
        if (ready) this.markReady();
      })
      .catch(() => {}) // a lost cursor write only means re-reading (deduped) events after a restart
      .finally(() => {
        this.saving = undefined;
        if (this.pendingCursor !== undefined || this.readyPending) this.flush();
      });
  }
}
