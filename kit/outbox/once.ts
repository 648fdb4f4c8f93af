import type { ClientSession } from 'mongoose';
import type mongoose from 'mongoose';

interface ProcessedEvent {
  _id: string;
  at: Date;
}

const isDuplicateKey = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 11000;

/**
 * Runs `fn` at most once per (consumer, event), across retries, restarts and instances: one
 * transaction on `conn` (the consumer's own database) inserts `{ _id: '<consumer>:<eventId>' }`
 * into `processedEvents` and runs `fn(session)`, so the marker and `fn`'s writes commit together
 * or not at all. `fn` must write only through `session` and do nothing else (it may run again
 * when the transaction is retried after a write conflict).
 *
 * Resolves with `fn`'s result, or `undefined` when the event had been processed already (by this
 * or another instance; `fn` then has no effect).
 */
export async function onceOnly<T>(conn: mongoose.Connection, consumerName: string, eventId: string, fn: (session: ClientSession) => Promise<T>): Promise<T | undefined> {
  const _id = `${consumerName}:${eventId}`;
  const processed = conn.db!.collection<ProcessedEvent>('processedEvents');
  try {
    // Concurrent instances inserting the same marker conflict: the driver retries the loser's
    // transaction (TransientTransactionError), whose insert then meets the committed marker.
    return await conn.transaction(async (session) => {
      await processed.insertOne({ _id, at: new Date() }, { session });
      return fn(session);
    });
  } catch (err) {
    // A duplicate key is ours only if the marker really is there: `fn` hitting a unique index
    // of its own is a failure to report, not a sign the event was done.
    if (isDuplicateKey(err) && (await processed.countDocuments({ _id }, { limit: 1 })) > 0) return undefined;
    throw err;
  }
}
