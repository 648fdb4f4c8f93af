import { MongoClient, MongoServerError } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, startTestServer } from './helpers.js';

describe('wire server with the official mongodb driver', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let client: MongoClient;

  beforeAll(async () => {
    ctx = await startTestServer();
    client = new MongoClient(ctx.uri, { directConnection: true, serverSelectionTimeoutMS: 5000 });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await ctx?.server.close();
  });

  it('connects and answers ping', async () => {
    expect(await client.db('admin').admin().command({ ping: 1 })).toEqual({ ok: 1 });
    // The driver's first handshake predates knowing the wire version, so it arrives as OP_QUERY
    // on admin.$cmd and must reach the handler unwrapped with $db set.
    const handshake = ctx.seen.find((r) => 'hello' in r.body || 'isMaster' in r.body || 'ismaster' in r.body);
    expect(handshake?.body.$db).toBe('admin');
    const ping = ctx.seen.find((r) => 'ping' in r.body);
    expect(ping?.body.$db).toBe('admin');
    expect(ping?.connectionId).toBeGreaterThanOrEqual(1);
  });

  it('round-trips BSON values through echo', async () => {
    const when = new Date('2024-01-02T03:04:05.678Z');
    const reply = await client.db('shop').command({ echo: 1, n: 42, s: 'héllo', when, arr: [1, { a: null }] });
    expect(reply.ok).toBe(1);
    expect(reply.body).toMatchObject({ echo: 1, n: 42, s: 'héllo', when, arr: [1, { a: null }], $db: 'shop' });
  });

  it('answers a thrown MongoCommandError with its toReply() document', async () => {
    const err = await client.db('admin').command({ throwMongo: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(2);
    expect((err as MongoServerError).codeName).toBe('BadValue');
    expect((err as MongoServerError).hasErrorLabel('SomeLabel')).toBe(true);
  });

  it('answers any other thrown error as InternalError without dropping the connection', async () => {
    const err = await client.db('admin').command({ throwPlain: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MongoServerError);
    expect((err as MongoServerError).code).toBe(1);
    expect((err as MongoServerError).message).toContain('plain boom');
    expect(ctx.log.warns.some((w) => w.includes("'throwPlain' threw"))).toBe(true);
    expect(await client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
  });

  it('drops undefined fields from replies', async () => {
    const reply = await client.db('admin').command({ withUndefined: 1 });
    expect(reply).toEqual({ ok: 1, nested: { kept: 1 } });
  });

  it('answers 200 concurrent raw connections', async () => {
    const before = ctx.server.connectionCount();
    const clients = await Promise.all(Array.from({ length: 200 }, () => RawClient.connect(ctx.server.port)));
    try {
      const replies = await Promise.all(clients.map((c) => c.command({ echo: 1, $db: 'admin' })));
      // Counted only now: a client's connect callback can fire before the server accepted it.
      expect(ctx.server.connectionCount()).toBeGreaterThanOrEqual(before + 200);
      expect(replies.every((r) => r.ok === 1)).toBe(true);
      // Every socket got its own, distinct connection id.
      expect(new Set(replies.map((r) => r.connectionId)).size).toBe(200);
    } finally {
      for (const c of clients) c.destroy();
    }
    const deadline = Date.now() + 5000;
    while (ctx.server.connectionCount() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(ctx.server.connectionCount()).toBe(before);
  });

  it('serves 50 concurrent driver operations over a pool', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.db('admin').command({ sleep: i % 5, tag: i })),
    );
    expect(results.map((r) => r.slept)).toEqual(Array.from({ length: 50 }, (_, i) => i % 5));
  });
});
