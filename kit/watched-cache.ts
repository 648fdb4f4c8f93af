/** How a WatchedCache bounds what it holds. */
export interface WatchedCacheOptions<V> {
  /** How long an entry may be served even when no write was seen (a safety net). */
  ttlMs: number;
  /** Bound on the summed weight of the entries; an entry heavier than it is never stored. */
  maxWeight: number;
  /** An entry's weight (e.g. the ids it holds); 1 each by default, so `maxWeight` counts entries. */
  weightOf?: (value: V) => number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expires: number;
  weight: number;
}

/**
 * Results shared across requests, in least-recently-used order, that are only right until the
 * next write to the data they were computed from. The cache serves only while those writes are
 * watched (`enable`/`disable`, e.g. from a change stream): any write clears it, and a
 * computation that started before a write is never stored (generation check, `begin` → `set`),
 * so it cannot resurrect pre-write data.
 */
export class WatchedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private weight = 0;
  private generation = 0;
  private live = false;
  private readonly weightOf: (value: V) => number;
  private readonly now: () => number;

  constructor(private readonly options: WatchedCacheOptions<V>) {
    this.weightOf = options.weightOf ?? (() => 1);
    this.now = options.now ?? Date.now;
  }

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
    this.weight = 0;
  }

  /** Marks the start of a computation; pass it to `set`. */
  begin(): number {
    return this.generation;
  }

  get(key: string): V | undefined {
    const entry = this.live ? this.entries.get(key) : undefined;
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.now()) {
      this.weight -= entry.weight;
      return undefined;
    }
    this.entries.set(key, entry); // most recently used last
    return entry.value;
  }

  set(key: string, value: V, startedAt: number): void {
    const weight = this.weightOf(value);
    if (!this.live || startedAt !== this.generation || weight > this.options.maxWeight) return;
    const old = this.entries.get(key);
    if (old) this.weight -= old.weight;
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.options.maxWeight) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }
}
