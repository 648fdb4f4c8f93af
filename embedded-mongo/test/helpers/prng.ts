/**
 * mulberry32: a tiny, seedable PRNG, good enough to drive fuzzers and randomised tests, so a
 * failure reproduces from its seed.
 */
export function prng(seed: number) {
  let s = seed >>> 0;
  /** The next number in [0, 1). */
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** An integer in [0, n). */
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  return { next, int, pick, bytes };
}

/** A seeded generator made by `prng`. */
export type Rng = ReturnType<typeof prng>;
