import { randomUUID } from 'node:crypto';
import { EJSON } from 'bson';
import type mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../gateway/test/helpers/ws-client.js';
import { subgraph as orderModule } from '../../subgraphs/order/index.js';
import type { AppConfig } from '../config.js';
import { connectDatabase } from '../db.js';
import { startSubgraph, type RunningSubgraph } from '../subgraph.js';
import { NOWHERE_URL, startTestMongo, testConfig } from '../testing.js';
import { consumeOutbox, type OutboxConsumer } from './consumer.js';
import { openOutboxFeeds } from './feed.js';
import { ndjsonLines } from './ndjson.js';
import { onceOnly } from './once.js';
import { feedUrl, type FeedLine, type FeedWhere, type OutboxEvent } from './types.js';

/**
 * The outbox feed of a real subgraph (the order subgraph, its background work left out so only
 * these tests consume) over the embedded database, read over real HTTP by raw clients and by
 * `consumeOutbox`. Every test writes events of its own prefix into the order outbox.
 */
const source = { ...orderModule, background: undefined };
let mongo: { uri: string; stop(): Promise<void> };
let config: AppConfig;
let running: RunningSubgraph;
let orderDb: mongoose.Connection; // a writer of the source's outbox, independent of the subgraph
let consumerDb: mongoose.Connection; // the consumers' own database
const consumers: OutboxConsumer[] = [];

beforeAll(async () => {
  mongo = await startTestMongo();
  config = testConfig();
  running = await startSubgraph(source, config, mongo.uri, 0, { log: () => {} });
  config.subgraphs.order = { port: Number(new URL(running.url).port), url: running.url };
  orderDb = await connectDatabase(mongo.uri, 'order');
  consumerDb = await connectDatabase(mongo.uri, 'outbox_consumer_test');
});
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.stop()));
  await running?.stop();
  await orderDb?.close();
  await consumerDb?.close();
  await mongo?.stop();
});

/** Stores events `<prefix>-<from>` … `<prefix>-<to>` in the order outbox, one insert each (in order). */
async function insertEvents(prefix: string, from: number, to = from): Promise<void> {
  for (let i = from; i <= to; i++) {
    const id = `${prefix}-${i}`;
    await orderDb.db!.collection<{ _id: string; eventId: string; eventType: string; seq: number; at: Date }>('events').insertOne({ _id: id, eventId: id, eventType: 'TestEvent', seq: i, at: new Date() });
  }
}

/** A raw feed client: every non-heartbeat line, parsed, as it arrives. */
function openFeed(after?: string, where?: FeedWhere): { lines: FeedLine[]; status: Promise<number>; close(): void } {
  const abort = new AbortController();
  const lines: FeedLine[] = [];
  const status = fetch(feedUrl(running.url, after, where), { signal: abort.signal }).then(async (res) => {
    if (res.ok) void (async () => {
      for await (const raw of ndjsonLines(res.body!, 60_000, () => {})) {
        const line = EJSON.parse(raw, { relaxed: true }) as FeedLine;
        if (line.cursor !== undefined || line.event) lines.push(line);
      }
    })().catch(() => {});
    return res.status;
  });
  return { lines, status, close: () => abort.abort() };
}

const ofPrefix = (lines: FeedLine[], prefix: string) => lines.filter((l) => !l.event || l.event.eventId.startsWith(`${prefix}-`));
const isMarker = (l: FeedLine) => l.cursor !== undefined && !l.event;

/** A consumer of the order outbox that records the test events it handled. */
async function startConsumer(name: string, handle: (e: OutboxEvent) => Promise<void> = async () => {}, log?: (msg: string) => void): Promise<{ seen: string[]; consumer: OutboxConsumer }> {
  const seen: string[] = [];
  const consumer = await consumeOutbox({
    name, source: 'order', config, conn: consumerDb, eventTypes: ['TestEvent'], log,
    handle: async (e) => {
      await handle(e);
      seen.push(e.eventId);
    },
  });
  consumers.push(consumer);
  return { seen, consumer };
}

describe('outbox feed (GET /events)', () => {
  it('should stream the stored history, then a caught-up cursor, then live events with cursors, in order', async () => {
    await insertEvents('hist', 1, 3);
    const feed = openFeed();
    await eventually(() => feed.lines.some(isMarker));
    await insertEvents('hist', 4, 5);
    await eventually(() => ofPrefix(feed.lines, 'hist').length === 6);
    feed.close();
    const lines = ofPrefix(feed.lines, 'hist');
    expect(lines.map((l) => l.event?.eventId ?? 'marker')).toEqual(['hist-1', 'hist-2', 'hist-3', 'marker', 'hist-4', 'hist-5']);
    expect(lines.slice(0, 3).every((l) => l.cursor === undefined)).toBe(true);
    expect(lines.slice(3).every((l) => /^82[0-9a-f]{16}/.test(l.cursor!))).toBe(true);
    // EJSON keeps the BSON types: dates arrive as Dates.
    expect(lines[4].event!.at).toBeInstanceOf(Date);
  });

  it('should resume after a cursor with only the later events, then say it caught up', async () => {
    const feed = openFeed();
    await eventually(() => feed.lines.some(isMarker));
    await insertEvents('resume', 1, 3);
    await eventually(() => ofPrefix(feed.lines, 'resume').length === 4);
    feed.close();
    const first = feed.lines.find((l) => l.event?.eventId === 'resume-1')!;
    const resumed = openFeed(first.cursor);
    await eventually(() => resumed.lines.some(isMarker));
    resumed.close();
    expect(resumed.lines.map((l) => l.event?.eventId ?? 'marker')).toEqual(['resume-2', 'resume-3', 'marker']);
  });

  it('should answer 410 with a JSON error for a cursor it cannot resume from', async () => {
    const res = await fetch(feedUrl(running.url, 'not-a-resume-token'));
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ error: { code: 'CURSOR_EXPIRED' } });
  });

  it('should send only the events matching `where`, with cursors that move past the others', async () => {
    const where: FeedWhere = [{ eventId: 'where-2' }, { eventId: 'where-4', eventType: 'TestEvent' }];
    const feed = openFeed(undefined, where);
    await eventually(() => feed.lines.some(isMarker));
    await insertEvents('where', 1, 6);
    await eventually(() => feed.lines.some((l) => l.event?.eventId === 'where-4'));
    // Nothing after where-4 matches: the feed still says it read past where-5 and where-6.
    await eventually(() => isMarker(feed.lines[feed.lines.length - 1]) && feed.lines[feed.lines.length - 1].cursor! > feed.lines.find((l) => l.event?.eventId === 'where-4')!.cursor!, 5000);
    feed.close();
    expect(feed.lines.filter((l) => l.event).map((l) => l.event!.eventId)).toEqual(['where-2', 'where-4']);
    // Resuming from the last cursor: none of where-5, where-6 again.
    const resumed = openFeed(feed.lines[feed.lines.length - 1].cursor, where);
    await insertEvents('where', 7);
    await eventually(() => resumed.lines.some(isMarker));
    resumed.close();
    expect(resumed.lines.filter((l) => l.event)).toEqual([]);
  });

  it('should answer 400 for a `where` that is not a list of field equalities', async () => {
    for (const bad of ['{"a":1}', '[{"$where":"1"}]', '[{"a":{"$gt":1}}]', '[]', 'nope']) {
      const url = new URL(feedUrl(running.url));
      url.searchParams.set('where', bad);
      const res = await fetch(url);
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'BAD_USER_INPUT' } });
    }
  });

  it('should close the change stream when the client disconnects', async () => {
    const before = openOutboxFeeds();
    const feeds = [openFeed(), openFeed(), openFeed()];
    await Promise.all(feeds.map((f) => f.status));
    await eventually(() => feeds.every((f) => f.lines.some(isMarker)));
    expect(openOutboxFeeds()).toBe(before + 3);
    feeds.forEach((f) => f.close());
    await eventually(() => openOutboxFeeds() === before, 5000);
  });
});

describe('consumeOutbox', () => {
  it('should hand every event over once, in order, and be ready once caught up', async () => {
    await insertEvents('cons', 1, 2);
    const { seen, consumer } = await startConsumer('test.in-order');
    await consumer.ready;
    expect(seen.filter((id) => id.startsWith('cons-'))).toEqual(['cons-1', 'cons-2']);
    await insertEvents('cons', 3, 4);
    await eventually(() => seen.includes('cons-4'));
    expect(seen.filter((id) => id.startsWith('cons-'))).toEqual(['cons-1', 'cons-2', 'cons-3', 'cons-4']);
  });

  it('should retry a failing handler on the same event instead of skipping it', async () => {
    let failures = 2;
    const { seen, consumer } = await startConsumer('test.retry', async (e) => {
      if (e.eventId === 'retry-1' && failures-- > 0) throw new Error('not yet');
    });
    await consumer.ready;
    await insertEvents('retry', 1, 2);
    await eventually(() => seen.includes('retry-2'), 5000);
    expect(failures).toBe(-1);
    expect(seen.filter((id) => id.startsWith('retry-'))).toEqual(['retry-1', 'retry-2']);
  });

  it('should keep consuming across a restart of the source subgraph, without duplicates, and say the source went away', async () => {
    const logs: string[] = [];
    const { seen, consumer } = await startConsumer('test.restart', undefined, (msg) => logs.push(msg));
    await consumer.ready;
    await insertEvents('restart', 1, 2);
    await eventually(() => seen.includes('restart-2'));
    await running.stop();
    // Once the feed has been reached, losing it is news at once: no start-up grace any more.
    await eventually(() => logs.some((l) => /order feed unreachable/.test(l)), 5000);
    await insertEvents('restart', 3, 4); // while the feed is down
    running = await startSubgraph(source, config, mongo.uri, config.subgraphs.order.port, { log: () => {} });
    await insertEvents('restart', 5);
    await eventually(() => seen.includes('restart-5'), 10_000);
    expect(seen.filter((id) => id.startsWith('restart-'))).toEqual(['restart-1', 'restart-2', 'restart-3', 'restart-4', 'restart-5']);
  });

  it('should say nothing of a source that starts listening within the start-up grace', async () => {
    const logs: string[] = [];
    // The order subgraph "not listening yet": the consumer reads the URL again at every attempt.
    const late: AppConfig = { ...config, subgraphs: { ...config.subgraphs, order: { port: 0, url: NOWHERE_URL } } };
    const consumer = await consumeOutbox({ name: 'test.late-source', source: 'order', config: late, conn: consumerDb, handle: async () => {}, log: (msg) => logs.push(msg) });
    consumers.push(consumer);
    await new Promise((r) => setTimeout(r, 500)); // a few failed attempts
    late.subgraphs.order = config.subgraphs.order;
    await consumer.ready;
    expect(logs).toEqual([]);
  });

  it('should name a source still unreachable when the start-up grace is over', async () => {
    const logs: string[] = [];
    const down: AppConfig = { ...config, subgraphs: { ...config.subgraphs, order: { port: 0, url: NOWHERE_URL } } };
    const startedAt = Date.now();
    const consumer = await consumeOutbox({ name: 'test.down-source', source: 'order', config: down, conn: consumerDb, handle: async () => {}, log: (msg) => logs.push(msg), startupGraceMs: 400 });
    consumers.push(consumer);
    await eventually(() => logs.length > 0, 5000);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(400);
    expect(logs).toEqual([expect.stringMatching(/^test\.down-source: order feed unreachable \(.+\); retrying$/)]);
  });

  it('should resume from its stored cursor when started again under the same name, replaying nothing', async () => {
    const first = await startConsumer('test.stored-cursor');
    await first.consumer.ready;
    await insertEvents('stored', 1);
    await eventually(() => first.seen.includes('stored-1'));
    await first.consumer.stop();
    await insertEvents('stored', 2);
    const second = await startConsumer('test.stored-cursor');
    await second.consumer.ready;
    expect(second.seen).toEqual(['stored-2']);
  });

  it('should handle events concurrently when asked, keep one key in order, and store only a cursor whose events are all handled', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: string[] = [];
    const delays = [60, 5, 40, 5, 30, 5, 20, 5];
    // Events 1..8 alternate between two keys; the slow ones must not be overtaken within their key.
    const concurrent = await consumeOutbox({
      name: 'test.concurrent', source: 'order', config, conn: consumerDb, eventTypes: ['TestEvent'], concurrency: 4,
      orderingKey: (e) => (Number(String(e.eventId).split('-')[1]) % 2 ? 'odd' : 'even'),
      handle: async (e) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, delays[Number(String(e.eventId).split('-')[1]) - 1]));
        inFlight -= 1;
        seen.push(e.eventId);
      },
    });
    consumers.push(concurrent);
    await concurrent.ready;
    // One write, so all eight reach the consumer together and both keys can run side by side.
    await orderDb.db!.collection<{ _id: string; eventId: string; eventType: string; seq: number; at: Date }>('events')
      .insertMany(Array.from({ length: 8 }, (_, i) => ({ _id: `conc-${i + 1}`, eventId: `conc-${i + 1}`, eventType: 'TestEvent', seq: i + 1, at: new Date() })));
    await eventually(() => seen.filter((id) => id.startsWith('conc-')).length === 8, 10_000);
    const mine = seen.filter((id) => id.startsWith('conc-'));
    expect(mine.filter((id) => Number(id.split('-')[1]) % 2)).toEqual(['conc-1', 'conc-3', 'conc-5', 'conc-7']);
    expect(mine.filter((id) => !(Number(id.split('-')[1]) % 2))).toEqual(['conc-2', 'conc-4', 'conc-6', 'conc-8']);
    expect(peak).toBe(2); // one per key: the two keys ran side by side
    await concurrent.stop();
    // Stopped after all eight: a new instance under the same name replays none of them.
    const again = await startConsumer('test.concurrent');
    await again.consumer.ready;
    expect(again.seen.filter((id) => id.startsWith('conc-'))).toEqual([]);
  });

  it('should read the outbox again from the start when its stored cursor is refused (410)', async () => {
    await insertEvents('gone', 1);
    await consumerDb.db!.collection<{ _id: string; cursor: string }>('outboxCursors').insertOne({ _id: 'test.gone', cursor: 'not-a-resume-token' });
    const { seen, consumer } = await startConsumer('test.gone');
    await consumer.ready;
    expect(seen).toContain('gone-1');
    const stored = await consumerDb.db!.collection<{ _id: string; cursor: string }>('outboxCursors').findOne({ _id: 'test.gone' });
    expect(stored?.cursor).toMatch(/^82[0-9a-f]{16}/);
  });

  it('should let two instances under one name apply every event exactly once with onceOnly', async () => {
    await insertEvents('twins', 1, 5);
    const effects = consumerDb.db!.collection<{ _id: string; eventId: string }>('twinEffects');
    const react = (e: OutboxEvent) =>
      onceOnly(consumerDb, 'test.twins', e.eventId, async (session) => {
        await effects.insertOne({ _id: randomUUID(), eventId: e.eventId }, { session });
      }).then(() => {});
    const a = await startConsumer('test.twins', react);
    const b = await startConsumer('test.twins', react);
    await insertEvents('twins', 6, 10);
    await eventually(() => a.seen.includes('twins-10') && b.seen.includes('twins-10'), 10_000);
    const stored = await effects.find({ eventId: /^twins-/ }).toArray();
    expect(stored.map((s) => s.eventId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `twins-${i + 1}`).sort());
  });
});

describe('onceOnly', () => {
  it('should run the effect exactly once under 10 concurrent calls with one event id, and not at all on a later call', async () => {
    const effects = consumerDb.db!.collection<{ _id: string; eventId: string }>('onceEffects');
    const effect = () => onceOnly(consumerDb, 'test.once', 'evt-1', async (session) => {
      await effects.insertOne({ _id: randomUUID(), eventId: 'evt-1' }, { session });
      return 'done';
    });
    const results = await Promise.all(Array.from({ length: 10 }, effect));
    expect(results.filter((r) => r === 'done')).toHaveLength(1);
    expect(results.filter((r) => r === undefined)).toHaveLength(9);
    expect(await effect()).toBeUndefined();
    expect(await effects.countDocuments({ eventId: 'evt-1' })).toBe(1);
  });

  it('should report a duplicate key of the effect itself instead of taking it for a processed event', async () => {
    const effects = consumerDb.db!.collection<{ _id: string }>('onceClashes');
    await effects.insertOne({ _id: 'taken' });
    await expect(onceOnly(consumerDb, 'test.clash', 'evt-1', (session) => effects.insertOne({ _id: 'taken' }, { session }))).rejects.toMatchObject({ code: 11000 });
    // Nothing was recorded: the event can still be processed.
    expect(await onceOnly(consumerDb, 'test.clash', 'evt-1', async () => 'ran')).toBe('ran');
  });
});
