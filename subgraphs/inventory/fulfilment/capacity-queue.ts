import type { Models } from '../models.js';

/**
 * Reservations of this process, one at a time per database. Every one of them updates the
 * `capacity` of popular resources (the emptiest slice, a busy gNB), and optimistic transactions
 * on one document abort each other: 50 concurrent reservations cost ~10 attempts each, most of
 * the time spent aborting and backing off. Queued here they commit one after the other without
 * conflicts. Correctness does not rest on this queue: other instances (or writers outside it) are
 * still kept out by the transaction's guarded capacity update.
 *
 * A caller that gave up waiting (its HTTP deadline) retries with the same reservation id; the
 * retry (same id, same request) joins the attempt already queued or running instead of queueing a second one, so a long
 * queue cannot feed itself with retries.
 */
interface Queue {
  tail: Promise<unknown>;
  inFlight: Map<string, Promise<unknown>>;
}

const queues = new WeakMap<Models, Queue>();

export function inCapacityQueue<T>(models: Models, key: string, work: () => Promise<T>): Promise<T> {
  let queue = queues.get(models);
  if (!queue) queues.set(models, (queue = { tail: Promise.resolve(), inFlight: new Map() }));
  const joined = queue.inFlight.get(key);
  if (joined) return joined as Promise<T>;
  const run = queue.tail.then(work, work);
  const q = queue;
  q.inFlight.set(key, run);
  // The next reservation waits for this one to settle, whatever its outcome.
  q.tail = run.catch(() => {}).finally(() => q.inFlight.delete(key));
  return run;
}
