import { EJSON } from 'bson';
import type mongoose from 'mongoose';
import type { AppConfig, SubgraphName } from '../config.js';
import { ndjsonLines } from './ndjson.js';
import { DeliveryWindow } from './window.js';
import { feedUrl, NDJSON, SILENCE_MS, type FeedLine, type FeedWhere, type OutboxEvent } from './types.js';

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;
/**
 * Subgraphs start side by side, so a consumer usually starts before the subgraph it reads from
 * listens: until it has reached the feed once, it stays quiet about an unreachable source this
 * long, and only a source still down after that is worth a log line.
 */
const STARTUP_GRACE_MS = 10_000;

export interface OutboxConsumerOptions {
  /** Unique consumer name, e.g. 'billing.charge-start': keys the stored cursor and `onceOnly`'s dedupe. */
  name: string;
  /** Whose outbox to read. */
  source: SubgraphName;
  /** Read at every (re)connect: `subgraphs[source].url` may be filled in after the consumer started. */
  config: AppConfig;
  /** The CONSUMER's own database connection: the cursor (`outboxCursors`) lives there. */
  conn: mongoose.Connection;
  /** Only these event types reach `handle`; others just advance the cursor. All when omitted. */
  eventTypes?: string[];
  /**
   * Only events matching this reach the consumer at all: filtered by the source's database, so
   * a storm of events the consumer would ignore costs neither side decoding and shipping them.
   */
  where?: FeedWhere;
  /** Handles one event; throwing makes the consumer retry the same event (with backoff), never skip it. */
  handle(event: OutboxEvent): Promise<void>;
  /** Events handled at once (default 1: strictly one after the other, in feed order). */
  concurrency?: number;
  /** With concurrency: events with the same key are still handled one after the other, in feed order. */
  orderingKey?(event: OutboxEvent): string | undefined;
  log?: (msg: string) => void;
  /** How long an unreachable source goes unreported before the first connection (default 10 s). */
  startupGraceMs?: number;
}

export interface OutboxConsumer {
  /** Resolves the first time the consumer has caught up with the feed (stays pending until then). */
  ready: Promise<void>;
  /** Drops the connection, lets an in-flight `handle` finish (no retry after it) and resolves when idle. */
  stop(): Promise<void>;
}

interface CursorDoc {
  _id: string;
  cursor: string;
  at: Date;
}

/** The feed answered 410: the stored cursor cannot be resumed from. */
class CursorGone extends Error {}

/**
 * Reads another (or its own) subgraph's outbox feed (`GET /events`) and hands each event to
 * `handle`, one at a time in feed order (or `concurrency` at a time, see DeliveryWindow). Delivery is at least once: after a restart, a 410 or
 * two instances sharing a name, events come again — make `handle` idempotent with `onceOnly`.
 * The cursor of the longest handled prefix is stored, so a restarted consumer resumes where it stopped;
 * while the source is down it retries with backoff (100 ms doubling to 2 s).
 */
export async function consumeOutbox(opts: OutboxConsumerOptions): Promise<OutboxConsumer> {
  const log = opts.log ?? (() => {});
  const cursors = opts.conn.db!.collection<CursorDoc>('outboxCursors');
  let cursor = (await cursors.findOne({ _id: opts.name }))?.cursor;
  const types = opts.eventTypes ? new Set(opts.eventTypes) : undefined;
  const stopping = new AbortController();
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let backoff = MIN_BACKOFF_MS;
  let failing = false;
  let reachedOnce = false;
  const quietUntil = Date.now() + (opts.startupGraceMs ?? STARTUP_GRACE_MS);

  /** Sleeps `ms`; false when interrupted by stop(). */
  const pause = (ms: number) =>
    new Promise<boolean>((resolve) => {
      if (stopping.signal.aborted) return resolve(false);
      const done = () => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve(!stopping.signal.aborted);
      };
      const timer = setTimeout(done, ms);
      stopping.signal.addEventListener('abort', done);
    });

  /** Runs the handler until it succeeds; false when stopped while backing off (not handled). */
  async function deliver(event: OutboxEvent): Promise<boolean> {
    for (let delay = MIN_BACKOFF_MS; ; delay = Math.min(delay * 2, MAX_BACKOFF_MS)) {
      try {
        await opts.handle(event);
        return true;
      } catch (err) {
        log(`${opts.name}: ${event.eventType} ${event.eventId} failed (${(err as Error).message}); retrying in ${delay} ms`);
      }
      if (!(await pause(delay))) return false;
    }
  }

  async function save(next: string): Promise<void> {
    cursor = next;
    await cursors.updateOne({ _id: opts.name }, { $set: { cursor: next, at: new Date() } }, { upsert: true });
  }


  /** One connection to the feed, until it ends, fails or stop() aborts it. */
  async function connectOnce(): Promise<void> {
    const connection = new AbortController();
    const abort = () => connection.abort();
    stopping.signal.addEventListener('abort', abort);
    try {
      const url = feedUrl(opts.config.subgraphs[opts.source].url, cursor, opts.where);
      const res = await fetch(url, { headers: { accept: NDJSON }, signal: connection.signal });
      if (res.status === 410) {
        await res.body?.cancel();
        throw new CursorGone(`cursor ${cursor} expired`);
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status} from ${url}`);
      }
      const silent = () => connection.abort(new Error(`no data from ${url} for ${SILENCE_MS} ms`));
      const window = new DeliveryWindow(opts.concurrency ?? 1, opts.orderingKey, deliver, save, markReady);
      try {
        for await (const raw of ndjsonLines(res.body, SILENCE_MS, silent)) {
          if (failing) log(`${opts.name}: ${opts.source} feed reachable again`);
          failing = false;
          reachedOnce = true;
          backoff = MIN_BACKOFF_MS;
          const line = EJSON.parse(raw, { relaxed: true }) as FeedLine;
          const event = line.event && (!types || types.has(line.event.eventType)) ? line.event : undefined;
          if (!(await window.push(event, line.cursor, !line.event && line.cursor !== undefined))) return;
        }
      } finally {
        await window.drain();
      }
    } finally {
      stopping.signal.removeEventListener('abort', abort);
    }
  }

  async function run(): Promise<void> {
    while (!stopping.signal.aborted) {
      try {
        await connectOnce(); // the feed ended (source stopping): connect again
      } catch (err) {
        if (stopping.signal.aborted) break;
        if (err instanceof CursorGone) {
          // Read everything again from the start: handlers dedupe, so the replay is harmless.
          log(`${opts.name}: ${err.message}; reading ${opts.source}'s outbox from the start`);
          cursor = undefined;
          await cursors.deleteOne({ _id: opts.name }).catch(() => {});
          continue;
        }
        const starting = !reachedOnce && Date.now() < quietUntil;
        if (!failing && !starting) {
          log(`${opts.name}: ${opts.source} feed unreachable (${(err as Error).message}); retrying`);
          failing = true;
        }
      }
      if (!(await pause(backoff))) break;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  }

  const running = run().catch((err: Error) => log(`${opts.name}: stopped by ${err.message}`));
  let stopped: Promise<void> | undefined;
  return {
    ready,
    stop: () =>
      (stopped ??= (async () => {
        stopping.abort();
        await running;
      })()),
  };
}
