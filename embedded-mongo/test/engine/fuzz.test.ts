import { createHash } from 'node:crypto';
import { serialize } from 'bson';
import { Decimal128, MongoClient, ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../index.js';
import type { Doc } from '../../src/types.js';
import { prng, type Rng } from '../helpers/prng.js';
import { captureLogger, opMsg, RawClient } from '../wire/helpers.js';

/** Deterministic by default; override with ENGINE_FUZZ_SEED to replay or explore. */
const SEED = Number(process.env.ENGINE_FUZZ_SEED ?? 0xc0ffee) >>> 0;
const COMMAND_CASES = 1500;
const BYTE_CASES = 500;

const VALUES = (): unknown[] => [0, 1, -1.5, 2 ** 60, 'x', '', null, true, [], [1, [2]], {}, { a: { b: 1 } }, new Date(0), new ObjectId(), Decimal128.fromString('1.5'), /re/i];
const OPERATORS = ['$eq', '$gt', '$in', '$nin', '$exists', '$type', '$regex', '$elemMatch', '$size', '$all', '$not', '$mod', '$frob', '$where', '$expr', '$and', '$or'];
const UPDATE_OPS = ['$set', '$unset', '$inc', '$push', '$pull', '$addToSet', '$rename', '$min', '$mul', '$bit', '$pop', '$currentDate', '$frob'];
const STAGES = ['$match', '$group', '$project', '$sort', '$limit', '$skip', '$unwind', '$lookup', '$facet', '$count', '$out', '$frob', '$graphLookup', '$addFields', '$bucket'];
const COMMANDS = ['find', 'insert', 'update', 'delete', 'aggregate', 'count', 'distinct', 'findAndModify', 'createIndexes', 'dropIndexes', 'getMore', 'killCursors', 'listIndexes', 'create', 'drop', 'frobnicate', 'commitTransaction'];

function value(rng: Rng, depth = 0): unknown {
  if (depth < 2 && rng.int(4) === 0) return { [rng.pick([...OPERATORS, 'a', 'b.c', ''])]: value(rng, depth + 1) };
  if (depth < 2 && rng.int(6) === 0) return [value(rng, depth + 1), value(rng, depth + 1)];
  return rng.pick(VALUES());
}

function randomCommand(rng: Rng): Doc {
  const name = rng.pick(COMMANDS);
  const coll = rng.pick(['f1', 'f2', '', '$bad', 'a.b', 42]);
  const cmd: Doc = { [name]: coll };
  const fields = ['filter', 'query', 'q', 'u', 'update', 'pipeline', 'documents', 'updates', 'deletes', 'indexes', 'sort', 'projection', 'limit', 'skip', 'batchSize', 'key', 'index', 'cursors', 'upsert', 'new', 'remove', 'arrayFilters', 'cursor', 'ordered', 'collection'];
  for (let i = rng.int(5); i >= 0; i--) {
    const f = rng.pick(fields);
    switch (f) {
      case 'pipeline': cmd[f] = [{ [rng.pick(STAGES)]: value(rng) }]; break;
      case 'documents': cmd[f] = [value(rng), { _id: value(rng), a: value(rng) }]; break;
      case 'updates': cmd[f] = [{ q: value(rng), u: { [rng.pick(UPDATE_OPS)]: value(rng) }, upsert: rng.int(2) === 0, multi: rng.int(2) === 0 }]; break;
      case 'deletes': cmd[f] = [{ q: value(rng), limit: rng.pick([0, 1, 5, -1, 'x']) }]; break;
      case 'indexes': cmd[f] = [{ key: value(rng), name: rng.pick(['i', '', 5]), unique: rng.int(2) === 0 }]; break;
      case 'update': cmd[f] = { [rng.pick(UPDATE_OPS)]: value(rng) }; break;
      default: cmd[f] = value(rng);
    }
  }
  cmd.$db = rng.pick(['fuzz', 'fuzz', 'admin', '', 'bad.db']);
  return cmd;
}

let server: EmbeddedMongo;
const log = captureLogger();

beforeAll(async () => {
  server = await startEmbeddedMongo({ log });
});
afterAll(async () => {
  await server.stop();
});

async function fingerprint(client: MongoClient): Promise<string> {
  const docs = await client.db('precious').collection('data').find().sort({ _id: 1 }).toArray();
  return createHash('sha256').update(serialize({ docs })).digest('hex');
}

describe('the full server under hostile input', () => {
  it(`should survive ${COMMAND_CASES} random commands and ${BYTE_CASES} corrupted messages with other data intact (seed ${SEED})`, async () => {
    const client = await new MongoClient(server.uri).connect();
    const precious = client.db('precious').collection('data');
    await precious.createIndex({ k: 1 }, { unique: true });
    await precious.insertMany(Array.from({ length: 200 }, (_, i) => ({ _id: i, k: `k${i}`, v: { n: i, tags: ['a', 'b'] } })) as never[]);
    const before = await fingerprint(client);
    const rng = prng(SEED);
    let raw = await RawClient.connect(server.port);
    let answered = 0;
    try {
      for (let i = 0; i < COMMAND_CASES; i++) {
        const requestID = i + 1;
        let msg: Buffer;
        try {
          msg = opMsg({ requestID, body: randomCommand(rng) });
        } catch {
          continue; // a body bson itself refuses to serialize
        }
        raw.write(msg);
        const reply = await raw.replyTo(requestID);
        expect(typeof reply.doc.ok).toBe('number');
        answered++;
      }
      for (let i = 0; i < BYTE_CASES; i++) {
        if (raw.closed) raw = await RawClient.connect(server.port);
        const msg = opMsg({ requestID: 10_000 + i, body: randomCommand(rng) });
        const pos = 16 + rng.int(msg.length - 16);
        msg[pos] = rng.int(256);
        if (rng.int(3) === 0) msg.writeInt32LE(msg.length - rng.int(8), 0);
        raw.write(msg.subarray(0, rng.int(4) === 0 ? rng.int(msg.length) : msg.length));
        await new Promise((r) => setImmediate(r));
      }
    } catch (err) {
      throw new Error(`fuzz failed with seed ${SEED}: ${(err as Error).message}`);
    } finally {
      raw.socket.destroy();
    }
    expect(answered).toBeGreaterThan(COMMAND_CASES * 0.9);
    expect(await client.db('admin').command({ ping: 1 })).toMatchObject({ ok: 1 });
    expect(await fingerprint(client)).toBe(before);
    const internal = [...new Set(log.warns.filter((w) => w.includes('internal error')).map((w) => w.split('\n').slice(0, 3).join(' | ')))];
    expect(internal, `internal errors (seed ${SEED}):\n${internal.join('\n')}`).toEqual([]);
    await client.close();
  });
});
