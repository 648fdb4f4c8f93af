import { idKeyOf } from './storage/collection.js';
import { indexValues } from './query/paths.js';
import type { ServerState } from './commands/context.js';
import { endSession } from './commands/session-commands.js';
import type { NewEntry } from './engine/engine.js';

/** mongod's transactionLifetimeLimitSeconds default: older transactions are aborted. */
export const DEFAULT_TXN_LIFETIME_MS = 60_000;

/**
 * Background duties mongod runs on timers: the TTL monitor (expired documents are deleted like
 * any other write, so they reach change streams and the journal), aborting transactions that
 * outlived their limit, and forgetting idle sessions.
 */
export function startMaintenance(server: ServerState, ttlIntervalMs: number, txnLifetimeMs = DEFAULT_TXN_LIFETIME_MS): () => void {
  const ttl = setInterval(() => void expireDocuments(server).catch((e: Error) => server.log.warn(`embedded-mongo: TTL pass failed: ${e.message}`)), ttlIntervalMs);
  const housekeeping = setInterval(() => {
    for (const txn of server.engine.txns.expired(Date.now(), txnLifetimeMs)) server.engine.txns.end(txn, 'aborted', 'transaction lifetime exceeded');
    for (const s of server.sessions.expired()) endSession(server, s.key);
  }, 1000);
  ttl.unref();
  housekeeping.unref();
  return () => {
    clearInterval(ttl);
    clearInterval(housekeeping);
  };
}

/** Deletes documents whose TTL-indexed date (earliest, for arrays) is past its expiry. */
export async function expireDocuments(server: ServerState, now = Date.now()): Promise<number> {
  const { engine } = server;
  const entries: NewEntry[] = [];
  for (const coll of engine.catalog.all()) {
    for (const ttl of coll.indexes.ttl()) {
      // The TTL index itself finds the expired candidates: a range scan, not a collection scan.
      const cutoff = new Date(now - ttl.expireAfterSeconds * 1000);
      for (const [, doc] of coll.candidates({ [ttl.path]: { $lte: cutoff } }).entries) {
        const dates = indexValues(doc, ttl.path).values.filter((v): v is Date => v instanceof Date);
        if (dates.length === 0) continue;
        const earliest = Math.min(...dates.map((d) => d.getTime()));
        if (earliest + ttl.expireAfterSeconds * 1000 > now) continue;
        if (engine.txns.holder(coll.ns, idKeyOf(doc))) continue;
        entries.push({ op: 'delete', db: coll.db, coll: coll.name, documentKey: { _id: doc._id } });
      }
    }
  }
  // One entry per document, committed one by one so a delete never names a doc deleted twice.
  const seen = new Set<string>();
  const unique = entries.filter((e) => {
    const k = `${e.db}.${e.coll}\0${idKeyOf(e.documentKey!)}`;
    return !seen.has(k) && (seen.add(k), true);
  });
  await Promise.all(unique.map((e) => engine.commit([e])));
  return unique.length;
}
