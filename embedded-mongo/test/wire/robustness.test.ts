import { serialize } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWireServer } from '../../src/wire/server.js';
import {
  OP_COMPRESSED,
  OP_MSG,
  OP_QUERY,
  RawClient,
  captureLogger,
  opMsg,
  opQuery,
  rawMessage,
  startTestServer,
  tinyHandler,
} from './helpers.js';

describe('malformed input closes only the offending connection', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let bystander: RawClient;

  beforeAll(async () => {
    ctx = await startTestServer();
    bystander = await RawClient.connect(ctx.server.port);
    expect(await bystander.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
  });

  afterAll(async () => {
    expect(await bystander.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
    bystander.destroy();
    await ctx?.server.close();
  });

  async function fresh(): Promise<RawClient> {
    return RawClient.connect(ctx.server.port);
  }

  const section = (kind: number, payload: Buffer) => Buffer.concat([Buffer.from([kind]), payload]);
  const flags = (f: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(f); return b; };
  const doc = (d: object) => Buffer.from(serialize(d));
  const int32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32LE(n); return b; };
  const ping = doc({ ping: 1, $db: 'a' });

  const malformed: Array<[string, () => Buffer, RegExp]> = [
    ['messageLength below 16', () => Buffer.concat([int32(8), int32(1), int32(0), int32(OP_MSG)]), /invalid messageLength 8/],
    ['negative messageLength', () => Buffer.concat([int32(-5), int32(1), int32(0), int32(OP_MSG)]), /invalid messageLength -5/],
    ['unknown opCode', () => rawMessage(1, 9999, Buffer.alloc(8)), /unknown opCode 9999/],
    ['OP_COMPRESSED', () => rawMessage(1, OP_COMPRESSED, Buffer.alloc(9)), /OP_COMPRESSED/],
    ['unknown section kind', () => rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(7, ping)])), /unknown section kind 7/],
    ['body length beyond message', () => rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(0, Buffer.concat([int32(500), ping.subarray(4)]))])), /inconsistent with message length/],
    ['truncated body', () => rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(0, ping.subarray(0, ping.length - 3))])), /OP_MSG body/],
    ['invalid BSON element type', () => { const d = Buffer.from(ping); d[4] = 0x7e; return rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(0, d)])); }, /invalid BSON/],
    ['sequence length beyond message', () => rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(0, ping), section(1, Buffer.concat([int32(9999), Buffer.from('documents\0'), doc({ a: 1 })]))])), /sequence length 9999/],
    ['sequence document overrunning its section', () => { const d = doc({ a: 1 }); return rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(0, ping), section(1, Buffer.concat([int32(4 + 10 + d.length - 2), Buffer.from('documents\0'), d]))])); }, /document sequence 'documents'/],
    ['two body sections', () => rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(0, ping), section(0, ping)])), /more than one body/],
    ['no body section', () => rawMessage(1, OP_MSG, Buffer.concat([flags(0), section(1, Buffer.concat([int32(4 + 10), Buffer.from('documents\0')]))])), /no body section/],
    ['unknown required flag bit', () => rawMessage(1, OP_MSG, Buffer.concat([flags(1 << 3), section(0, ping)])), /unknown required flag bits 0x8/],
    ['sequence clashing with a body field', () => opMsg({ requestID: 1, body: { echo: 1, documents: 1, $db: 'a' }, sequences: { documents: [] } }), /duplicates a body field/],
    ['unterminated OP_QUERY namespace', () => rawMessage(1, OP_QUERY, Buffer.concat([int32(0), Buffer.from('admin.$cmd')])), /unterminated/],
    ['OP_QUERY with trailing bytes', () => {
      const q = opQuery({ requestID: 1, ns: 'admin.$cmd', query: { ping: 1 }, fields: { x: 1 } });
      const m = Buffer.concat([q, Buffer.alloc(3)]);
      m.writeInt32LE(m.length, 0);
      return m;
    }, /trailing bytes/],
  ];

  it.each(malformed)('closes only the offending connection on %s, logging once', async (_name, build, reason) => {
    const c = await fresh();
    const id = (await c.command({ echo: 1, $db: 'a' })).connectionId as number;
    c.write(build());
    expect(await c.waitClosed()).toBe(true);
    const lines = ctx.log.warns.filter((w) => w.includes(`connection ${id}:`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(reason);
    expect(await bystander.command({ ping: 1, $db: 'a' })).toEqual({ ok: 1 });
  });

  it('rejects an oversized declared length before the body is sent', async () => {
    const c = await fresh();
    c.write(Buffer.concat([int32(100_000_000), int32(1), int32(0), int32(OP_MSG)]));
    expect(await c.waitClosed(2000)).toBe(true);
    expect(ctx.log.warns.some((w) => /invalid messageLength 100000000/.test(w))).toBe(true);
  });

  it('answers frames that precede a malformed one before closing', async () => {
    const c = await fresh();
    c.write(Buffer.concat([opMsg({ requestID: 81, body: { sleep: 20, $db: 'a' } }), int32(3), Buffer.alloc(12)]));
    expect(await c.waitClosed()).toBe(true);
    expect(c.replies.map((r) => r.responseTo)).toEqual([81]);
  });
});

describe('wire server lifecycle and limits', () => {
  const log = captureLogger();
  let server: Awaited<ReturnType<typeof startWireServer>>;

  beforeAll(async () => {
    server = await startWireServer({ host: '127.0.0.1', port: 0, handler: tinyHandler(), log, maxMessageBytes: 1024 });
  });

  afterAll(async () => {
    await server.close();
  });

  it('honours a custom maxMessageBytes', async () => {
    const ok = await RawClient.connect(server.port);
    expect((await ok.command({ echo: 'a'.repeat(900), $db: 'a' })).ok).toBe(1);
    ok.write(opMsg({ requestID: 1, body: { echo: 'a'.repeat(1100), $db: 'a' } }));
    expect(await ok.waitClosed()).toBe(true);
    expect(log.warns.some((w) => /invalid messageLength \d+ \(allowed 16\.\.1024\)/.test(w))).toBe(true);
  });

  it('close() stops listening and destroys every open socket', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(server.port)));
    await Promise.all(clients.map((c) => c.command({ ping: 1, $db: 'a' })));
    expect(server.connectionCount()).toBe(3);
    await server.close();
    expect(server.connectionCount()).toBe(0);
    for (const c of clients) expect(await c.waitClosed(1000)).toBe(true);
    await expect(RawClient.connect(server.port)).rejects.toThrow(/ECONNREFUSED/);
    await server.close(); // idempotent
  });
});
