import { createHash } from 'node:crypto';
import { WatchedCache } from '../../../kit/watched-cache.js';
import type { Models } from '../models.js';
import type { CustomerTally } from './tally.js';

/** A safety net: how long a tally may be served even when no write was seen. */
const TTL_MS = 60_000;
/** Tallies are a few numbers each; the bound only keeps a stream of distinct sets from growing without end. */
const MAX_ENTRIES = 256;

/** One key for a set of customer ids, whatever the order or repetitions it arrived in. */
export function tallyKey(customerIds: readonly string[]): string {
  const canonical = [...new Set(customerIds)].sort();
  return createHash('sha1').update(canonical.join('\n')).digest('base64url');
}

/**
 * Tallies shared across requests. Why: the customers behind a big fibre are some 11,000, and the
 * NOC asks for the same outage's tally on every view, while segments and tiers rarely change.
 * Like inventory's impact cache it serves only while a change stream on `customers` is open:
 * any customer write clears it, and a tally computed across a write is never stored.
 */
export class TallyCache extends WatchedCache<CustomerTally> {
  constructor(now: () => number = Date.now) {
    super({ ttlMs: TTL_MS, maxWeight: MAX_ENTRIES, now });
  }
}

const caches = new WeakMap<Models, TallyCache>();

/**
 * The process-wide tally cache of these models, started on first use: the customer module's
 * start-up hooks belong to other features, and a cache that begins serving a moment later
 * only costs that moment's requests a computation.
 */
export function tallyCacheOf(models: Models): TallyCache {
  let cache = caches.get(models);
  if (cache) return cache;
  const created = new TallyCache();
  caches.set(models, created);
  const stream = models.Customer.watch();
  let lost = false;
  const lose = () => {
    if (!lost) created.disable();
    lost = true;
  };
  // The first resume token arrives once the stream's cursor is open: later writes will be seen.
  stream.once('resumeTokenChanged', () => {
    if (!lost) created.enable();
  });
  stream.on('change', () => created.clear());
  stream.on('error', lose);
  stream.on('close', lose);
  return (cache = created);
}
