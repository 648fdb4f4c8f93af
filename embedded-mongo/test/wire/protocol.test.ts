import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OP_MSG, OP_REPLY, RawClient, opMsg, opQuery, startTestServer } from './helpers.js';

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

describe('wire protocol over raw sockets', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let bystander: RawClient;

  beforeAll(async () => {
    ctx = await startTestServer();
    bystander = await RawClient.connect(ctx.server.port);
    expect(await bystander.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
  });

  afterAll(async () => {
    // The bystander lived through every malformed-input test below.
    expect(await bystander.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
    bystander.destroy();
    await ctx?.server.close();
  });

  async function fresh(): Promise<RawClient> {
    return RawClient.connect(ctx.server.port);
  }

  it('replies with an OP_MSG header that answers the request', async () => {
    const c = await fresh();
    c.write(opMsg({ requestID: 77, body: { ping: 1, $db: 'admin' } }));
    const reply = await c.replyTo(77);
    expect(reply).toMatchObject({ opCode: OP_MSG, responseTo: 77, flags: 0, doc: { ok: 1 } });
    expect(reply.requestID).toBeGreaterThan(0);
    c.destroy();
  });

  it('merges kind-1 document sequences into the body under their identifiers', async () => {
    const c = await fresh();
    const documents = [{ _id: 1, a: 'x' }, { _id: 2, nested: { b: [1, 2] } }];
    const updates = [{ q: { _id: 1 }, u: { $set: { a: 'y' } } }];
    c.write(opMsg({ requestID: 5, body: { echo: 'coll', ordered: true, $db: 'test' }, sequences: { documents, updates, empty: [] } }));
    const { doc } = await c.replyTo(5);
    expect(doc.body).toEqual({ echo: 'coll', ordered: true, $db: 'test', documents, updates, empty: [] });
    const seen = ctx.seen.find((r) => r.body.echo === 'coll');
    expect(seen?.body.documents).toEqual(documents);
    c.destroy();
  });

  it('ignores a trailing CRC-32C when checksumPresent is set', async () => {
    const c = await fresh();
    c.write(opMsg({ requestID: 6, body: { echo: 1, $db: 'a' }, sequences: { documents: [{ z: 1 }] }, checksum: true }));
    expect((await c.replyTo(6)).doc.body).toEqual({ echo: 1, $db: 'a', documents: [{ z: 1 }] });
    c.destroy();
  });

  it('reassembles a message delivered one byte at a time', async () => {
    const c = await fresh();
    const msg = opMsg({ requestID: 9, body: { echo: 'bytewise', $db: 'a' }, sequences: { documents: [{ k: 'v' }] } });
    for (const byte of msg) {
      c.write(Buffer.from([byte]));
      await tick();
    }
    expect((await c.replyTo(9)).doc.body).toEqual({ echo: 'bytewise', $db: 'a', documents: [{ k: 'v' }] });
    c.destroy();
  });

  it('handles several frames in one write, and a frame split across writes', async () => {
    const c = await fresh();
    const msgs = [1, 2, 3, 4].map((i) => opMsg({ requestID: 100 + i, body: { echo: i, $db: 'a' } }));
    // Frames 1-3 whole plus the first half of frame 4 in a single write; the rest later.
    const all = Buffer.concat(msgs);
    const cut = all.length - Math.floor(msgs[3].length / 2);
    c.write(all.subarray(0, cut));
    await c.until(() => c.replies.length === 3, 5000, 'three replies');
    c.write(all.subarray(cut));
    await c.replyTo(104);
    expect(c.replies.map((r) => [r.responseTo, r.doc.body])).toEqual(
      [1, 2, 3, 4].map((i) => [100 + i, { echo: i, $db: 'a' }]),
    );
    c.destroy();
  });

  it('reassembles a 6 MB message arriving in uneven chunks', async () => {
    const c = await fresh();
    const documents = Array.from({ length: 6 }, (_, i) => ({ i, blob: String(i).repeat(1_000_000) }));
    const msg = opMsg({ requestID: 11, body: { echo: 'large', $db: 'a' }, sequences: { documents } });
    for (let off = 0, step = 1; off < msg.length; off += step, step = (step * 7 + 13) % 200_000 + 1) {
      c.write(msg.subarray(off, off + step));
    }
    const { doc } = await c.replyTo(11, 20_000);
    expect((doc.body as { documents: unknown[] }).documents).toEqual(documents);
    c.destroy();
  });

  it('sends replies larger than the bson 17 MiB scratch buffer intact', async () => {
    const c = await fresh();
    const size = 18 * 1024 * 1024 + 3;
    const doc = await c.command({ big: size, $db: 'a' }, 20_000);
    expect(doc.ok).toBe(1);
    expect((doc.data as string).length).toBe(size);
    expect(await c.command({ ping: 1, $db: 'a' })).toEqual({ ok: 1 });
    c.destroy();
  });

  it('answers a legacy OP_QUERY isMaster handshake with OP_REPLY', async () => {
    const c = await fresh();
    c.write(opQuery({ requestID: 42, ns: 'admin.$cmd', query: { isMaster: 1, client: { driver: { name: 'old' } } } }));
    const reply = await c.replyTo(42);
    expect(reply).toMatchObject({ opCode: OP_REPLY, responseTo: 42, flags: 0, numberReturned: 1, cursorId: 0n });
    expect(reply.doc).toMatchObject({ ismaster: true, isWritablePrimary: true, maxWireVersion: 21, ok: 1 });
    const seen = ctx.seen.find((r) => r.body.isMaster === 1 && (r.body.client as any)?.driver?.name === 'old');
    expect(seen?.body).toEqual({ isMaster: 1, client: { driver: { name: 'old' } }, $db: 'admin' });
    // The same socket can then switch to OP_MSG, as real drivers do.
    expect(await c.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
    c.destroy();
  });

  it('unwraps $query, keeps $readPreference and accepts a returnFieldsSelector', async () => {
    const c = await fresh();
    const rp = { mode: 'secondaryPreferred' };
    c.write(opQuery({ requestID: 43, ns: 'mydb.$cmd', query: { $query: { echo: 'legacy' }, $readPreference: rp }, fields: { x: 1 } }));
    const reply = await c.replyTo(43);
    expect(reply.opCode).toBe(OP_REPLY);
    expect(Object.keys(reply.doc.body as object)[0]).toBe('echo');
    expect(reply.doc.body).toEqual({ echo: 'legacy', $readPreference: rp, $db: 'mydb' });
    c.destroy();
  });

  it('refuses OP_QUERY on a non-$cmd namespace with code 352 but keeps the connection', async () => {
    const c = await fresh();
    const before = ctx.seen.length;
    c.write(opQuery({ requestID: 44, ns: 'test.users', query: { name: 'x' } }));
    const reply = await c.replyTo(44);
    expect(reply).toMatchObject({ opCode: OP_REPLY, flags: 2, numberReturned: 1, doc: { ok: 0, code: 352 } });
    expect(reply.doc.$err).toMatch(/Unsupported OP_QUERY/);
    expect(ctx.seen.length).toBe(before);
    expect(await c.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
    c.destroy();
  });

  it('runs a moreToCome message but sends no reply for it', async () => {
    const c = await fresh();
    c.write(opMsg({ requestID: 50, flags: 2, body: { echo: 'fire-and-forget', $db: 'a' } }));
    c.write(opMsg({ requestID: 51, body: { ping: 1, $db: 'a' } }));
    await c.replyTo(51);
    await tick(50);
    expect(c.replies.map((r) => r.responseTo)).toEqual([51]);
    expect(ctx.seen.some((r) => r.body.echo === 'fire-and-forget')).toBe(true);
    c.destroy();
  });

  it('ignores exhaustAllowed and sends a single reply', async () => {
    const c = await fresh();
    c.write(opMsg({ requestID: 52, flags: 1 << 16, body: { ping: 1, $db: 'a' } }));
    expect((await c.replyTo(52)).flags).toBe(0);
    await tick(50);
    expect(c.replies).toHaveLength(1);
    c.destroy();
  });

  it('processes requests on one connection strictly in order', async () => {
    const c = await fresh();
    c.write(Buffer.concat([
      opMsg({ requestID: 61, body: { sleep: 80, $db: 'a' } }),
      opMsg({ requestID: 62, body: { sleep: 0, $db: 'a' } }),
      opMsg({ requestID: 63, body: { ping: 1, $db: 'a' } }),
    ]));
    await c.replyTo(63);
    expect(c.replies.map((r) => r.responseTo)).toEqual([61, 62, 63]);
    c.destroy();
  });

  it('serves different connections concurrently', async () => {
    const slow = await fresh();
    const quick = await fresh();
    const slowReply = slow.command({ sleep: 400, $db: 'a' });
    const t0 = Date.now();
    expect(await quick.command({ ping: 1, $db: 'a' })).toEqual({ ok: 1 });
    expect(Date.now() - t0).toBeLessThan(300);
    expect(slow.replies).toHaveLength(0);
    expect((await slowReply).slept).toBe(400);
    slow.destroy();
    quick.destroy();
  });

  it('assigns incrementing connection ids', async () => {
    const a = await fresh();
    const idA = (await a.command({ echo: 1, $db: 'a' })).connectionId as number;
    const b = await fresh();
    const idB = (await b.command({ echo: 1, $db: 'a' })).connectionId as number;
    expect(idA).toBeGreaterThanOrEqual(1);
    expect(idB).toBe(idA + 1);
    a.destroy();
    b.destroy();
  });

  it('answers a handler result that is not a document with InternalError', async () => {
    const c = await fresh();
    expect(await c.command({ notADoc: 1, $db: 'a' })).toMatchObject({ ok: 0, code: 1, codeName: 'InternalError' });
    c.destroy();
  });

  it('answers everything received before a half-close, then closes', async () => {
    const c = await fresh();
    c.socket.end(Buffer.concat([
      opMsg({ requestID: 71, body: { sleep: 30, $db: 'a' } }),
      opMsg({ requestID: 72, body: { ping: 1, $db: 'a' } }),
    ]));
    expect(await c.waitClosed()).toBe(true);
    expect(c.replies.map((r) => r.responseTo)).toEqual([71, 72]);
  });
});
