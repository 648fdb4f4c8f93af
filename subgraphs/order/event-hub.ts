import type { ChangeStream, ChangeStreamInsertDocument, Collection } from 'mongodb';
import { streamOpened } from '../../kit/change-stream.js';
import type { Models, OrderEventDoc } from './models.js';

type InsertStream = ChangeStream<OrderEventDoc, ChangeStreamInsertDocument<OrderEventDoc>>;

/** Whose events a listener wants: one product order's own events, or one service order's. */
export interface EventSubject {
  /** The event field naming the order. */
  key: 'productOrderId' | 'serviceOrderId';
  id: string;
}

/** Receives the events of its subject as they commit, or the failure that ended the hub. */
export interface EventListener {
  event(event: OrderEventDoc): void;
  fail(error: Error): void;
}

/** The key listeners of `subject` are filed under. */
export const subjectKey = (subject: EventSubject): string => `${subject.key}:${subject.id}`;

/** A product order's history is its own events; its service orders' events also name it but belong to them. */
export const subjectsOf = (event: OrderEventDoc): string[] =>
  event.serviceOrderId ? [subjectKey({ key: 'serviceOrderId', id: event.serviceOrderId })]
    : event.productOrderId ? [subjectKey({ key: 'productOrderId', id: event.productOrderId })] : [];

/**
 * One change stream over the order outbox per process, shared by every live order subscription
 * and fanned out in memory by order id. With a stream per subscription, 200 watched orders cost
 * the database 200 change streams to match every event against and 200 `getMore` loops, and
 * this subgraph 200 pooled connections parked in them — work that grew with the audience, not
 * with the events.
 *
 * `join` resolves once the server has opened the stream: every event committed after that
 * reaches the listener (the feed reads the history only after joining, so nothing falls between).
 * Opened by the first listener, closed when the last one leaves.
 */
export class OrderEventHub {
  private static readonly hubs = new WeakMap<object, Promise<OrderEventHub>>();
  private static openHubs = 0;
  /** Hubs (change streams) open in this process: diagnostics, and tests proving cleanup. */
  static get active(): number {
    return OrderEventHub.openHubs;
  }

  private readonly listeners = new Map<string, Set<EventListener>>();
  private size = 0;
  private closed = false;

  private constructor(
    private readonly key: object,
    private readonly stream: InsertStream,
  ) {}

  /** Adds `listener` for `subject` to the process's hub, opening it if needed. */
  static async join(models: Models, subject: EventSubject, listener: EventListener): Promise<OrderEventHub> {
    for (;;) {
      const key = models.OrderEvent.db;
      let opening = OrderEventHub.hubs.get(key);
      if (!opening) {
        opening = OrderEventHub.open(key, models.OrderEvent.db.db!.collection<OrderEventDoc>(models.OrderEvent.collection.collectionName));
        OrderEventHub.hubs.set(key, opening);
        opening.catch(() => OrderEventHub.hubs.delete(key));
      }
      const hub = await opening;
      // A hub whose last listener left while we waited is closed; its successor is opened instead.
      if (!hub.closed) {
        hub.add(subjectKey(subject), listener);
        return hub;
      }
    }
  }

  private static async open(key: object, events: Collection<OrderEventDoc>): Promise<OrderEventHub> {
    const stream: InsertStream = events.watch([{ $match: { operationType: 'insert' } }]);
    let hub: OrderEventHub | undefined;
    let broken: Error | undefined;
    const failed = (err: Error) => (hub ? hub.fail(err) : (broken ??= err));
    // Before the hub exists nobody listens: whoever joins reads the history after joining, which has these.
    stream.on('change', (change) => hub?.arrive(change.fullDocument));
    stream.on('error', failed);
    stream.on('close', () => failed(new Error('the order outbox change stream closed')));
    try {
      await streamOpened(stream, 'the order outbox change stream');
      if (broken) throw broken;
    } catch (err) {
      await stream.close().catch(() => {});
      throw err;
    }
    hub = new OrderEventHub(key, stream);
    OrderEventHub.openHubs += 1;
    return hub;
  }

  /** Removes a listener; the last one leaving closes the hub. */
  async leave(subject: EventSubject, listener: EventListener): Promise<void> {
    const key = subjectKey(subject);
    const set = this.listeners.get(key);
    if (!set?.delete(listener)) return;
    this.size -= 1;
    if (set.size === 0) this.listeners.delete(key);
    if (this.size === 0) await this.close();
  }

  private add(key: string, listener: EventListener): void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    if (!set.has(listener)) this.size += 1;
    set.add(listener);
  }

  private arrive(event: OrderEventDoc): void {
    if (this.closed) return;
    for (const key of subjectsOf(event)) for (const listener of this.listeners.get(key) ?? []) listener.event(event);
  }

  private fail(error: Error): void {
    if (this.closed) return;
    const all = [...this.listeners.values()].flatMap((set) => [...set]);
    void this.close();
    for (const listener of all) listener.fail(error);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    OrderEventHub.openHubs -= 1;
    OrderEventHub.hubs.delete(this.key);
    this.listeners.clear();
    this.size = 0;
    // Closing races the connection's own shutdown at stop; a stream already gone is closed enough.
    await this.stream.close().catch(() => {});
  }
}
