import type { IncomingMessage, ServerResponse } from 'node:http';
import { EJSON } from 'bson';
import { MongoServerError, type ChangeStream, type ChangeStreamInsertDocument, type Collection, type Document } from 'mongodb';
import type mongoose from 'mongoose';
import { HEARTBEAT_MS, NDJSON, parseFeedWhere, type FeedLine, type FeedWhere, type OutboxEvent } from './types.js';

type InsertChange = ChangeStreamInsertDocument<OutboxEvent & Document>;
type InsertStream = ChangeStream<OutboxEvent & Document, InsertChange>;

/**
 * How long one getMore waits for new events. It bounds how late a resumed feed reports that it
 * caught up (the first empty batch) and how long a closed stream's pending read may linger.
 */
const AWAIT_MS = 500;

let openFeeds = 0;
/** Feeds (change streams) open in this process, over all subgraphs: diagnostics, and tests proving cleanup. */
export const openOutboxFeeds = (): number => openFeeds;

/** The `GET /events` endpoint of one subgraph: its outbox (`events` collection) as an NDJSON stream. */
export interface OutboxFeed {
  /** Serves one request until the client leaves or the feed closes; never throws. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Ends every open stream (closing its change stream) and refuses new ones: call before the database connection closes. */
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, code: string, message: string): void {
  if (!res.headersSent && !res.destroyed) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code, message } }));
}

/** Resolves once the response can take more data, or is gone (then nothing will ever drain). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

const tokenData = (token: unknown): string => (token as { _data: string })._data;
// _ids may be strings or ObjectIds: EJSON gives both one comparable spelling.
const idKey = (id: unknown): string => EJSON.stringify(id as Document);

/** One client's stream: history (unless resuming), caught-up marker, then live events. */
class FeedStream {
  private closed = false;
  private counted = false;
  private stream: InsertStream | undefined;
  done: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: Collection<OutboxEvent & Document>,
    private readonly res: ServerResponse,
    private readonly after: string | undefined,
    private readonly where: FeedWhere | undefined,
    private readonly log: (msg: string) => void,
  ) {}

  /** The stored events the client asked for (all, or those matching `where`). */
  private filter(prefix = ''): Document {
    return this.where ? { $or: this.where.map((c) => Object.fromEntries(Object.entries(c).map(([f, v]) => [prefix + f, v]))) } : {};
  }

  run(): Promise<void> {
    return (this.done = this.serve());
  }

  /** Idempotent: stops the change stream and ends the response. */
  async end(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.res.writableEnded) this.res.end();
    await this.stream?.close().catch(() => {}); // may race the connection's own close; gone is closed enough
    if (this.counted) openFeeds -= 1;
    this.counted = false;
  }

  private async write(line: FeedLine): Promise<void> {
    if (this.closed) return;
    if (!this.res.write(EJSON.stringify(line, { relaxed: true }) + '\n')) await drained(this.res);
  }

  private async serve(): Promise<void> {
    const stream: InsertStream = (this.stream = this.events.watch<OutboxEvent & Document, InsertChange>([{ $match: { operationType: 'insert', ...this.filter('fullDocument.') } }], {
      maxAwaitTimeMS: AWAIT_MS,
      ...(this.after ? { resumeAfter: { _data: this.after } } : {}),
    }));
    this.res.on('close', () => void this.end());
    let first: InsertChange | null;
    try {
      // The first read sends the `aggregate` that opens the stream: a token the server refuses
      // fails here, before any 200 went out, so it can still be answered 410.
      first = await stream.tryNext();
    } catch (err) {
      // The server refusing the command is about the token (the only thing that varies); any
      // other failure (connection, shutdown) is an outage the client should retry.
      const rejected = this.after !== undefined && err instanceof MongoServerError;
      if (rejected) sendJson(this.res, 410, 'CURSOR_EXPIRED', `cursor '${this.after}' cannot be resumed (${(err as Error).message}); read again from the start (no 'after')`);
      else sendJson(this.res, 503, 'UNAVAILABLE', `outbox unavailable: ${(err as Error).message}`);
      await this.end();
      return;
    }
    if (this.closed) return;
    openFeeds += 1;
    this.counted = true;
    // Everything committed up to here is in the history read below.
    const start = tokenData(stream.resumeToken);
    this.res.writeHead(200, { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
    this.res.flushHeaders();
    const heartbeat = setInterval(() => void this.write({}), HEARTBEAT_MS);
    try {
      const seen = this.after ? undefined : await this.history();
      if (!this.after) await this.write({ cursor: start });
      await this.live(stream, first, seen);
    } catch (err) {
      // The client reconnects with its last cursor; a read failing because we closed is no news.
      if (!this.closed) this.log(`outbox feed: ${(err as Error).message}`);
    } finally {
      clearInterval(heartbeat);
      await this.end();
    }
  }

  /** Streams every stored event in insertion (natural) order; returns their ids. */
  private async history(): Promise<Set<string>> {
    const seen = new Set<string>();
    for await (const doc of this.events.find(this.filter(), { batchSize: 500 })) {
      if (this.closed) break;
      seen.add(idKey(doc._id));
      await this.write({ event: doc });
    }
    return seen;
  }

  /**
   * Live events with their cursors. The stream opened before the history was read, so its first
   * events may be in the history too (`seen`): dropped here. The overlap ends at the first event
   * the history lacks, or at the first empty batch; the set is freed then.
   */
  private async live(stream: InsertStream, first: InsertChange | null, seen: Set<string> | undefined): Promise<void> {
    let caughtUp = !this.after; // the history path sent its marker already
    let change = first;
    let position: string | undefined;
    while (!this.closed) {
      if (change) {
        const duplicate = seen?.has(idKey(change.documentKey._id)) ?? false;
        if (!duplicate) {
          seen = undefined;
          position = tokenData(change._id);
          await this.write({ cursor: position, event: change.fullDocument });
        }
      } else {
        seen = undefined;
        // A resumed feed has caught up once the server has nothing more: say so, with the
        // position reached, so the consumer knows it is live (and may store it).
        if (!caughtUp) await this.write({ cursor: (position = tokenData(stream.resumeToken)) });
        caughtUp = true;
        // Filtered: the stream reads past events the client does not want (an alarm storm of
        // them); say how far, so a consumer's stored cursor keeps up and a restart resumes there
        // rather than from before the storm (which may have left the server's history by then).
        const reached = this.where && tokenData(stream.resumeToken);
        if (reached && reached !== position) await this.write({ cursor: (position = reached) });
      }
      change = await stream.tryNext();
    }
  }
}

/**
 * The outbox feed of the subgraph on `conn`: `GET /events[?after=<cursor>][&where=<FeedWhere>]` streams its `events`
 * collection (inserts only) as NDJSON lines (`FeedLine`): without `after` the stored history,
 * a `{cursor}` marker, then live `{cursor, event}` lines; with `after` the live lines after that cursor (backlog first, then a `{cursor}` marker
 * once caught up). With `where`, only matching events, and a `{cursor}` line whenever the stream
 * has read past events that did not match. A cursor the server cannot resume from → 410; a bad
 * `where` → 400. Generic: any subgraph whose
 * outbox is its `events` collection gets it for free.
 */
export function createOutboxFeed(conn: mongoose.Connection, log: (msg: string) => void = () => {}): OutboxFeed {
  const open = new Set<FeedStream>();
  let closing = false;
  return {
    async handle(req, res, url) {
      if (req.method !== 'GET') return sendJson(res, 405, 'METHOD_NOT_ALLOWED', 'GET /events only');
      if (closing || !conn.db) return sendJson(res, 503, 'UNAVAILABLE', 'shutting down');
      let where: FeedWhere | undefined;
      try {
        const text = url.searchParams.get('where');
        where = text ? parseFeedWhere(text) : undefined;
      } catch (err) {
        return sendJson(res, 400, 'BAD_USER_INPUT', (err as Error).message);
      }
      const feed = new FeedStream(conn.db.collection<OutboxEvent & Document>('events'), res, url.searchParams.get('after') || undefined, where, log);
      open.add(feed);
      try {
        await feed.run();
      } catch (err) {
        log(`outbox feed: ${(err as Error).message}`);
        await feed.end();
      } finally {
        open.delete(feed);
      }
    },
    async close() {
      closing = true;
      await Promise.all([...open].map(async (feed) => {
        await feed.end();
        await feed.done.catch(() => {});
      }));
    },
  };
}
