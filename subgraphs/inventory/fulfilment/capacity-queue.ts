import type { Models } from '../models.js';

/**
 * Reservations of this process, one at a time per database. Every one of
 * them updates the `capacity` of popular resources (the emptiest slice, a busy gNB), and optimistic
 * transactions on one document abort each other: 50 concurrent reservations cost ~10 attempts
 * each, most of the time spent aborting and backing off. Queued here they commit one after the
 * other without conflicts. Correctness does not rest on this queue: other instances (or writers
 * outside it) are still kept out by the transaction's guarded capacity update.
 */
const tails = new WeakMap<Models, Promise<unknown>>();

export function inCapacityQueue<T>(models: Models, work: () => Promise<T>): Promise<T> {
  const previous = tails.get(models) ?? Promise.resolve();
  const run = previous.then(work, work);
  // The next writer waits for this one to settle, whatever its outcome.
  tails.set(models, run.catch(() => {}));
  return run;
}
