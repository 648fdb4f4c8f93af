import type { Models } from '../models.js';
import { computeImpact, type Impact } from './impact.js';

/** How long a computed impact may be served, even if no write was seen (a safety net). */
const TTL_MS = 30_000;
/** Bound on the ids held (a backhaul fibre's impact is ~30k), so memory stays ~tens of MB. */
const MAX_IDS = 500_000;

interface Entry {
  impact: Impact;
  expires: number;
  weight: number;
}

const weightOf = (impact: Impact) => impact.resourceIds.length + impact.serviceIds.length + impact.customers.length;

/**
 * Computed impacts shared across requests, in least-recently-used order. Why: on the embedded
 * database one walk below a backhaul fibre costs ~250 ms of CPU (some 20,000 documents matched
 * and encoded), while a NOC asks for the same fault's impact over and over (every portal view,
 * every alarm event). The cache serves only while writes to the topology are
 * watched (`enable`/`disable`): any write clears it, and a walk that started before a write
 * is never stored (generation check), so it cannot resurrect pre-write data.
 */
export class ImpactCache {
  private readonly entries = new Map<string, Entry>();
  private ids = 0;
  private generation = 0;
  private live = false;

  constructor(private readonly now: () => number = Date.now) {}

  /** Writes are now watched: start serving (from empty, since writes before this were not seen). */
  enable(): void {
    this.live = true;
    this.clear();
  }

  /** Writes can no longer be seen: stop serving. */
  disable(): void {
    this.live = false;
    this.clear();
  }

  /** A write happened: forget everything, and everything being computed. */
  clear(): void {
    this.generation += 1;
    this.entries.clear();
    this.ids = 0;
  }

  /** Marks the start of a computation; pass it to `set`. */
  begin(): number {
    return this.generation;
  }

  get(resourceId: string): Impact | undefined {
    const entry = this.live ? this.entries.get(resourceId) : undefined;
    if (!entry) return undefined;
    this.entries.delete(resourceId);
    if (entry.expires <= this.now()) {
      this.ids -= entry.weight;
      return undefined;
    }
    this.entries.set(resourceId, entry); // most recently used last
    return entry.impact;
  }

  set(resourceId: string, impact: Impact, startedAt: number): void {
    const weight = weightOf(impact);
    if (!this.live || startedAt !== this.generation || weight > MAX_IDS) return;
    const old = this.entries.get(resourceId);
    if (old) this.ids -= old.weight;
    this.entries.delete(resourceId);
    this.entries.set(resourceId, { impact, expires: this.now() + TTL_MS, weight });
    this.ids += weight;
    for (const [id, entry] of this.entries) {
      if (this.ids <= MAX_IDS) break;
      this.entries.delete(id);
      this.ids -= entry.weight;
    }
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
