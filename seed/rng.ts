/**
 * Deterministic randomness and time for the world generator. Nothing here reads the clock or
 * `Math.random`: the same seed must always describe the same operator, byte for byte, so tests,
 * benchmarks and demos can name concrete ids.
 */

/** "Now" in the generated world: every date is at or before it. */
export const EPOCH = new Date(Date.UTC(2026, 9, 1)); // 2026-10-01T00:00:00Z

const DAY_MS = 86_400_000;

/** The date `days` (fractional allowed) after `from`; negative goes back in time. */
export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + Math.round(days * DAY_MS));
}

/** Whole days between two dates (b − a), fractional. */
export function daysBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / DAY_MS;
}

/** Money is kept in cents-exact numbers so sums on bills add up. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** `7` → `007` with width 3; wider numbers are kept whole (`gNB-1000`). */
export function pad(n: number, width = 3): string {
  return String(n).padStart(width, '0');
}

/** A seeded pseudo-random source (mulberry32: tiny, fast, good enough for synthetic data). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks a key by relative weight, e.g. `{ COMPLETED: 85, FAILED: 4 }`. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** Upper-case alphanumerics, e.g. authorization codes. */
  code(length: number): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    let s = '';
    for (let i = 0; i < length; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }

  /**
   * An independent stream for one part of the world. Each generator step draws from its own
   * fork, so adding draws to one step (say, more alarms) does not reshuffle customers or orders.
   */
  fork(label: string): Rng {
    let h = 2166136261 ^ this.state;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
    return new Rng(h >>> 0);
  }
}
