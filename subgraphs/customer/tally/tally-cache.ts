import { createHash } from 'node:crypto';
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
export class TallyCache {
  private readonly entries = new Map<string, { tally: CustomerTally; expires: number }>();
  private generation = 0;
  private live = false;

  constructor(private readonly now: () => number = Date.now) {}

  enable(): void {
    this.live = true;
    this.clear();
  }

  disable(): void {
    this.live = false;
    this.clear();
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  begin(): number {
    return this.generation;
  }

  get(key: string): CustomerTally | undefined {
    const entry = this.live ? this.entries.get(key) : undefined;
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(key, entry); // most recently used last
    return entry.tally;
  }

  set(key: string, tally: CustomerTally, startedAt: number): void {
    if (!this.live || startedAt !== this.generation) return;
    this.entries.delete(key);
    this.entries.set(key, { tally, expires: this.now() + TTL_MS });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_ENTRIES) break;
      this.entries.delete(oldest);
    }
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
