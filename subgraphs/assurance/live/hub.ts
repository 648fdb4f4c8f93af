import type { ChangeStream, ChangeStreamInsertDocument, Collection, Document } from 'mongodb';
import { streamOpened } from '../../../kit/change-stream.js';
import type { Models } from '../models.js';
import { outboxCollection, type OutboxRecord } from './events.js';

type InsertStream = ChangeStream<OutboxRecord & Document, ChangeStreamInsertDocument<OutboxRecord & Document>>;

/** Receives the hub's events in `seq` order, or the failure that ended the hub. */
export interface HubListener {
  event(event: OutboxRecord): void;
  fail(error: Error): void;
}

/**
 * How long a hole in `seq` may hold back the events behind it. Writers commit in `seq` order when
 * they take their numbers inside their transaction; a hole is then a number whose writer has not
 * committed yet (a batch reserving a range commits a little later) or never will (burned).
 */
export const GAP_WAIT_MS = 1000;

/**
 * One change stream over the assurance outbox per process, shared by every live subscription:
 * an alarm storm costs one stream read, not one per subscriber. Events go out strictly in `seq`
 * order — one that arrives ahead of a lower, uncommitted number waits for it (at most
 * GAP_WAIT_MS, then the missing numbers are taken as burned). `emitted` is the highest `seq`
 * handed out: a listener added now receives exactly the events above it.
 *
 * Opened by the first subscription and closed when the last one leaves, so a stopping subgraph
 * (which completes every subscription) leaves no stream behind.
 */
export class OutboxHub {
  private static readonly hubs = new WeakMap<object, Promise<OutboxHub>>();
  private static openHubs = 0;
  /** Hubs (change streams) open in this process: diagnostics, and tests proving cleanup. */
  static get active(): number {
    return OutboxHub.openHubs;
  }

  private readonly listeners = new Set<HubListener>();
  private readonly held = new Map<number, OutboxRecord>();
  private gapTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly key: object,
    private readonly events: Collection<OutboxRecord & Document>,
    private readonly stream: InsertStream,
    /** Highest `seq` emitted (or stored when the hub opened). */
    private emitted: number,
    private readonly log: (msg: string) => void,
  ) {}

  /**
   * Joins the process's hub for this database, opening it if needed. Returns the hub and its
   * `emitted` at the moment the listener joined: the listener receives every event above it.
   */
  static async join(models: Models, listener: HubListener, log: (msg: string) => void = () => {}): Promise<{ hub: OutboxHub; from: number }> {
    for (;;) {
      const key = models.Alarm.db;
      let opening = OutboxHub.hubs.get(key);
      if (!opening) {
        opening = OutboxHub.open(key, outboxCollection(models), log);
        OutboxHub.hubs.set(key, opening);
        opening.catch(() => OutboxHub.hubs.delete(key));
      }
      const hub = await opening;
      // Joined synchronously after the await: a hub whose last listener left meanwhile is closed,
      // and a closed hub is never joined (its successor is opened instead).
      if (!hub.closed) {
        hub.listeners.add(listener);
        return { hub, from: hub.emitted };
      }
    }
  }

  private static async open(key: object, events: Collection<OutboxRecord & Document>, log: (msg: string) => void): Promise<OutboxHub> {
    // Only the event itself travels: the change's other fields (session, cluster time,
    // namespace…) would be encoded and decoded for each of a storm's events and never read.
    const stream: InsertStream = events.watch([{ $match: { operationType: 'insert' } }, { $project: { fullDocument: 1 } }]);
    const early: OutboxRecord[] = [];
    let hub: OutboxHub | undefined;
    let broken: Error | undefined; // the stream failing before the hub exists
    const failed = (err: Error) => (hub ? hub.fail(err) : (broken ??= err));
    stream.on('change', (change) => (hub ? hub.arrive(change.fullDocument) : early.push(change.fullDocument)));
    stream.on('error', failed);
    stream.on('close', () => failed(new Error('the outbox change stream closed')));
    try {
      await streamOpened(stream, 'the outbox change stream');
      // Everything committed before the stream opened has a `seq` at most this one.
      const [last] = await events.find({}, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).toArray();
      if (broken) throw broken;
      hub = new OutboxHub(key, events, stream, typeof last?.seq === 'number' ? last.seq : 0, log);
    } catch (err) {
      await stream.close().catch(() => {});
      throw err;
    }
    OutboxHub.openHubs += 1;
    for (const event of early) hub.arrive(event);
    return hub;
  }

  /** Removes a listener; the last one leaving closes the hub. */
  async leave(listener: HubListener): Promise<void> {
    this.listeners.delete(listener);
    if (this.listeners.size === 0) await this.close();
  }

  private arrive(event: OutboxRecord): void {
    if (this.closed || typeof event.seq !== 'number') return;
    // At or below `emitted`: committed before the hub opened, or a burned number's late writer.
    if (event.seq <= this.emitted) return;
    this.held.set(event.seq, event);
    this.drain();
  }

  /** Emits the held events that continue the sequence; arms the gap timer if a hole remains. */
  private drain(): void {
    for (let next = this.held.get(this.emitted + 1); next; next = this.held.get(this.emitted + 1)) {
      this.held.delete(next.seq);
      this.emitted = next.seq;
      for (const listener of this.listeners) listener.event(next);
    }
    if (this.held.size === 0) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else {
      this.gapTimer ??= setTimeout(() => void this.skipGap(), GAP_WAIT_MS);
    }
  }

  /** The hole outlived GAP_WAIT_MS: read it back once (a straggler may have committed), then skip what is still missing. */
  private async skipGap(): Promise<void> {
    this.gapTimer = undefined;
    if (this.closed || this.held.size === 0) return;
    const lowest = Math.min(...this.held.keys());
    try {
      const found = await this.events.find({ seq: { $gt: this.emitted, $lt: lowest } }).sort({ seq: 1 }).toArray();
      for (const event of found) this.held.set(event.seq, event);
    } catch {
      // Reading back is a courtesy; the numbers are skipped either way.
    }
    if (this.closed) return;
    const first = Math.min(...this.held.keys());
    if (first > this.emitted + 1) this.log(`assurance live: outbox seq ${this.emitted + 1}..${first - 1} never committed; skipped`);
    this.emitted = first - 1;
    this.drain();
  }

  private fail(error: Error): void {
    if (this.closed) return;
    const listeners = [...this.listeners];
    void this.close();
    for (const listener of listeners) listener.fail(error);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    OutboxHub.openHubs -= 1;
    OutboxHub.hubs.delete(this.key);
    clearTimeout(this.gapTimer);
    this.listeners.clear();
    this.held.clear();
    // Closing races the connection's own shutdown at stop; a stream already gone is closed enough.
    await this.stream.close().catch(() => {});
  }
}
