/**
 * `npx tsx embedded-mongo/bench/txn-writes.ts`: write cost inside a multi-document transaction
 * against the same writes outside one. Not a test: prints a table (median of RUNS). Every
 * collection carries a unique secondary index, the case where transactional duplicate-key
 * checks and the transaction's read view must not scan the writes already buffered.
 *
 *   insertMany of 1,000 / 5,000 docs (in / out of a transaction),
 *   1,000 single updateOne by _id of existing docs, 1,000 single upserts of new _ids.
 *
 * Time per operation must stay flat as the batch grows; BENCH_TXN_SIZES overrides the sizes.
 * The server runs in-process (startEmbeddedMongo) so `node --cpu-prof --import tsx` profiles it.
 */
import { MongoClient, type ClientSession, type Collection, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../index.js';
import { silentLogger } from '../src/types.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SIZES = (process.env.BENCH_TXN_SIZES ?? '1000,5000').split(',').map(Number);
const SINGLES = Number(process.env.BENCH_TXN_SINGLES ?? 1000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Doc = { _id: number; email: string; n: number; note: string };
const doc = (i: number): Doc => ({ _id: i, email: `user${i}@example.net`, n: i, note: 'x'.repeat(100) });

async function freshCollection(db: Db, name: string): Promise<Collection<Doc>> {
  await db.collection(name).drop().catch(() => undefined);
  const c = db.collection<Doc>(name);
  await c.createIndex({ email: 1 }, { unique: true });
  return c;
}

/** Runs `body` inside one transaction (committed at the end), or plainly when `session` is undefined. */
async function maybeInTxn(session: ClientSession | undefined, body: () => Promise<void>): Promise<void> {
  if (!session) return body();
  session.startTransaction();
  await body();
  await session.commitTransaction();
}

async function time(fn: () => Promise<void>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main(): Promise<void> {
  const server = await startEmbeddedMongo({ log: silentLogger });
  const client = await new MongoClient(server.uri).connect();
  const db = client.db('txnbench');
  const rows: Array<Record<string, string>> = [];
  const report = (scenario: string, count: number, inTxn: number[], plain: number[]) => {
    const t = median(inTxn);
    const p = median(plain);
    rows.push({ scenario, 'txn ms': t.toFixed(1), 'txn µs/op': ((t * 1000) / count).toFixed(0), 'no-txn ms': p.toFixed(1), 'no-txn µs/op': ((p * 1000) / count).toFixed(0) });
  };

  for (const size of SIZES) {
    const samples = { txn: [] as number[], plain: [] as number[] };
    for (let r = 0; r < RUNS; r++) {
      for (const mode of ['txn', 'plain'] as const) {
        const c = await freshCollection(db, `ins_${mode}`);
        const session = mode === 'txn' ? client.startSession() : undefined;
        const docs = Array.from({ length: size }, (_, i) => doc(i));
        samples[mode].push(await time(() => maybeInTxn(session, async () => void (await c.insertMany(docs, { session })))));
        if ((await c.countDocuments()) !== size) throw new Error('insertMany lost documents');
        await session?.endSession();
      }
    }
    report(`insertMany ${size} (unique secondary index)`, size, samples.txn, samples.plain);
  }

  const updates = { txn: [] as number[], plain: [] as number[] };
  const upserts = { txn: [] as number[], plain: [] as number[] };
  for (let r = 0; r < RUNS; r++) {
    for (const mode of ['txn', 'plain'] as const) {
      const c = await freshCollection(db, `upd_${mode}`);
      await c.insertMany(Array.from({ length: SINGLES }, (_, i) => doc(i)));
      const session = mode === 'txn' ? client.startSession() : undefined;
      updates[mode].push(
        await time(() =>
          maybeInTxn(session, async () => {
            for (let i = 0; i < SINGLES; i++) await c.updateOne({ _id: i }, { $inc: { n: 1 }, $set: { email: `moved${i}@example.net` } }, { session });
          }),
        ),
      );
      upserts[mode].push(
        await time(() =>
          maybeInTxn(session, async () => {
            for (let i = SINGLES; i < 2 * SINGLES; i++) await c.updateOne({ _id: i }, { $set: { email: `new${i}@example.net`, n: i } }, { upsert: true, session });
          }),
        ),
      );
      if ((await c.countDocuments({ email: /^(moved|new)/ })) !== 2 * SINGLES) throw new Error('updates or upserts lost');
      await session?.endSession();
    }
  }
  report(`${SINGLES} updateOne by _id (changing the unique key)`, SINGLES, updates.txn, updates.plain);
  report(`${SINGLES} upserts by _id (new docs)`, SINGLES, upserts.txn, upserts.plain);

  await client.close();
  await server.stop();
  console.table(rows);
}

await main();
