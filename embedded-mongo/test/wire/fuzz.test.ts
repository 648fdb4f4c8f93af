import { connect } from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Doc } from '../../src/types.js';
import { prng, type Rng } from '../helpers/prng.js';
import { OP_COMPRESSED, OP_MSG, RawClient, opMsg, opQuery, startTestServer } from './helpers.js';

/** Deterministic by default; override with WIRE_FUZZ_SEED to replay or explore. */
const SEED = Number(process.env.WIRE_FUZZ_SEED ?? 0x5eed_c0de) >>> 0;
const CASES = 3000;
const WORKERS = 16;

function randomDoc(rng: Rng): Doc {
  const doc: Doc = {};
  for (let i = rng.int(4); i >= 0; i--) {
    doc[`k${rng.int(100)}`] = rng.pick([1, -2.5, 'str', null, true, [1, 'a'], { x: 1 }, new Date(0), 2 ** 40]);
  }
  return doc;
}

/** Well-formed messages that the mutators start from. */
function validMessage(rng: Rng): Buffer {
  const requestID = rng.int(1_000_000);
  switch (rng.int(6)) {
    case 0: return opMsg({ requestID, body: { ping: 1, $db: 'admin' } });
    case 1: return opMsg({ requestID, body: { echo: 1, $db: 'f' }, sequences: { documents: [randomDoc(rng), randomDoc(rng)] } });
    case 2: return opMsg({ requestID, body: { echo: randomDoc(rng), $db: 'f' }, checksum: true });
    case 3: return opMsg({ requestID, flags: 2, body: { echo: 1, $db: 'f' } });
    case 4: return opQuery({ requestID, ns: 'admin.$cmd', query: { isMaster: 1 } });
    default: return opQuery({ requestID, ns: 'f.$cmd', query: { $query: { echo: 1 } }, fields: randomDoc(rng) });
  }
}

const INTERESTING = [0, -1, 4, 5, 15, 16, 17, 0x7fffffff, -0x80000000, 48_000_001, 1 << 24];

function fixLength(m: Buffer): Buffer {
  m.writeInt32LE(m.length, 0);
  return m;
}

/** One fuzz input. Each strategy targets a different layer: framing, sections, BSON, opcodes. */
function fuzzMessage(rng: Rng): Buffer {
  const m = Buffer.from(validMessage(rng));
  switch (rng.int(11)) {
    case 0: return rng.bytes(rng.int(300));
    case 1: { // flip bytes anywhere, header included
      for (let i = 1 + rng.int(6); i > 0; i--) m[rng.int(m.length)] ^= 1 + rng.int(255);
      return m;
    }
    case 2: { // flip bytes past the header: framing stays valid, contents break
      for (let i = 1 + rng.int(4); i > 0; i--) m[16 + rng.int(m.length - 16)] ^= 1 + rng.int(255);
      return m;
    }
    case 3: return m.subarray(0, rng.int(m.length)); // truncated
    case 4: return fixLength(m.subarray(0, 17 + rng.int(m.length - 17))); // truncated, length fixed up
    case 5: { // declared length altered
      m.writeInt32LE(rng.next() < 0.5 ? m.length + rng.int(64) - 32 : rng.pick(INTERESTING), 0);
      return m;
    }
    case 6: { // huge declared length, header only
      const h = Buffer.alloc(16);
      h.writeInt32LE(rng.pick([48_000_001, 0x7fffffff, 1 << 30, -16]), 0);
      h.writeInt32LE(OP_MSG, 12);
      return h;
    }
    case 7: { // unknown or unsupported opcode
      m.writeInt32LE(rng.pick([0, 1, 2001, 2002, 2005, 2010, 2011, OP_COMPRESSED, 2014, rng.int(1 << 30)]), 12);
      return m;
    }
    case 8: { // interesting int32 at a random offset past the header (section / document lengths)
      if (m.length >= 24) m.writeInt32LE(rng.pick(INTERESTING), 16 + rng.int(m.length - 20));
      return m;
    }
    case 9: // random garbage appended, length fixed up so it frames correctly
      return fixLength(Buffer.concat([m, rng.bytes(1 + rng.int(40))]));
    default: { // several (mutated) messages in one write
      const parts = [m, validMessage(rng), rng.bytes(rng.int(30))];
      parts[rng.int(3)][rng.int(3)] ^= 0xff;
      return Buffer.concat(parts);
    }
  }
}

/** Writes, half-closes and waits for the server to finish with the socket. Resolves false on hang. */
function sendOnFreshSocket(port: number, data: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, 5000);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
    socket.end(data);
  });
}

describe('wire fuzz', () => {
  let ctx: Awaited<ReturnType<typeof startTestServer>>;
  let client: MongoClient;
  let longLived: RawClient;

  beforeAll(async () => {
    ctx = await startTestServer();
    client = new MongoClient(ctx.uri, { directConnection: true, serverSelectionTimeoutMS: 5000 });
    await client.db('admin').command({ ping: 1 });
    longLived = await RawClient.connect(ctx.server.port);
    expect(await longLived.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
  });

  afterAll(async () => {
    longLived?.destroy();
    await client?.close();
    await ctx?.server.close();
  });

  it(`survives ${CASES} random and mutated messages (seed ${SEED})`, async () => {
    try {
      const baseline = ctx.server.connectionCount();
      const rng = prng(SEED);
      // Generated up front so the inputs depend only on the seed, not on worker scheduling.
      const cases = Array.from({ length: CASES }, () => fuzzMessage(rng));
      const reuseRoll = cases.map(() => rng.next() < 0.5);
      const failures: string[] = [];
      let nextCase = 0;
      let probeId = 1;

      const worker = async () => {
        let reused: RawClient | undefined;
        for (let i = nextCase++; i < CASES; i = nextCase++) {
          const data = cases[i];
          const framed = data.length >= 16 && data.readInt32LE(0) === data.length;
          if (framed && reuseRoll[i]) {
            // A complete frame followed by a ping: the server must answer the ping or close.
            reused = reused && !reused.closed ? reused : await RawClient.connect(ctx.server.port);
            const id = probeId++ + 2_000_000_000;
            reused.write(Buffer.concat([data, opMsg({ requestID: id, body: { ping: 1, $db: 'admin' } })]));
            try {
              await reused.until(() => reused!.closed || reused!.replies.some((r) => r.responseTo === id), 5000);
            } catch {
              failures.push(`case ${i} (reused socket) hung: ${data.toString('hex').slice(0, 200)}`);
              reused.destroy();
            }
            reused.replies.length = 0;
          } else if (!(await sendOnFreshSocket(ctx.server.port, data))) {
            failures.push(`case ${i} (fresh socket) hung: ${data.toString('hex').slice(0, 200)}`);
          }
        }
        reused?.destroy();
      };
      const t0 = Date.now();
      await Promise.all(Array.from({ length: WORKERS }, worker));
      const elapsed = Date.now() - t0;

      expect(failures, `seed ${SEED}`).toEqual([]);
      expect(elapsed, 'fuzz runtime (ms)').toBeLessThan(20_000);

      // The server is alive for old, new and driver connections alike.
      expect(await longLived.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
      expect(await client.db('admin').command({ ping: 1 })).toEqual({ ok: 1 });
      const after = await RawClient.connect(ctx.server.port);
      expect(await after.command({ ping: 1, $db: 'admin' })).toEqual({ ok: 1 });
      after.destroy();

      // Malformed input was detected as such (never as an internal error) and logged per connection.
      expect(ctx.log.warns.length).toBeGreaterThan(CASES / 4);
      const unexpected = ctx.log.warns.filter((w) => !/^wire: closing connection \d+: /.test(w) || /internal error/.test(w));
      expect(unexpected, `seed ${SEED}`).toEqual([]);
      // ...while plenty of inputs still reached the handler.
      expect(ctx.seen.length).toBeGreaterThan(CASES / 10);
      // Every layer of the parser was reached by some input.
      for (const reason of [/invalid messageLength/, /unknown opCode/, /OP_COMPRESSED/, /invalid BSON/, /inconsistent with message length/, /unknown section kind/, /OP_QUERY/]) {
        expect(ctx.log.warns.some((w) => reason.test(w)), `no warning matched ${reason}`).toBe(true);
      }

      // No socket leaked: everything the fuzz opened is gone.
      const deadline = Date.now() + 5000;
      while (ctx.server.connectionCount() > baseline && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(ctx.server.connectionCount()).toBe(baseline);
    } catch (err) {
      console.error(`wire fuzz failed with seed ${SEED}; replay with WIRE_FUZZ_SEED=${SEED}`);
      throw err;
    }
  });
});
