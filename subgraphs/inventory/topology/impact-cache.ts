import { WatchedCache } from '../../../kit/watched-cache.js';
import type { Models } from '../models.js';
import { computeImpact, type Impact } from './impact.js';

/** How long a computed impact may be served, even if no write was seen (a safety net). */
const TTL_MS = 30_000;
/** Bound on the ids held (a backhaul fibre's impact is ~30k), so memory stays ~tens of MB. */
const MAX_IDS = 500_000;

const weightOf = (impact: Impact) => impact.resourceIds.length + impact.serviceIds.length + impact.customers.length;

/**
 * Computed impacts shared across requests, keyed by resource id. Why: on the embedded database
 * one walk below a backhaul fibre costs ~250 ms of CPU (some 20,000 documents matched and
 * encoded), while a NOC asks for the same fault's impact over and over (every portal view, every
 * alarm event). Any write to the topology clears it (see WatchedCache).
 */
export class ImpactCache extends WatchedCache<Impact> {
  constructor(now: () => number = Date.now) {
    super({ ttlMs: TTL_MS, maxWeight: MAX_IDS, weightOf, now });
  }
}

/** Impact of each resource in `resourceIds` (in order), from the cache where possible. */
export async function cachedImpact(models: Pick<Models, 'Resource' | 'Service'>, cache: ImpactCache, resourceIds: readonly string[]): Promise<Impact[]> {
  const startedAt = cache.begin();
  const found = new Map<string, Impact>();
  const misses: string[] = [];
  for (const id of resourceIds) {
    const hit = cache.get(id);
    if (hit) found.set(id, hit);
    else misses.push(id);
  }
  if (misses.length) {
    for (const [id, impact] of await computeImpact(models, misses)) {
      cache.set(id, impact, startedAt);
      found.set(id, impact);
    }
  }
  return resourceIds.map((id) => found.get(id)!);
}
