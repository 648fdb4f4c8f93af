/**
 * The SLA arithmetic, free of storage: rolling window averages over a series' points and the
 * violations they imply. The SLA value at time t is the duration-weighted mean of the points
 * whose period ends in (t − window, t]; it is computed at every period end, so a breach is seen
 * as soon as the point that causes it is stored. A violation runs from the first time that value
 * exceeds the target to the first time it is back within it.
 */

/** One stored point of a series. */
export interface SeriesPoint {
  /** End of the point's period (its time + its granularity). */
  end: number;
  /** Minutes the point covers: its weight in an average. */
  minutes: number;
  value: number;
}

/** The SLA value of a series at one time. */
export interface WindowAverage {
  at: number;
  average: number;
}

/**
 * The window average at each of `times` (ascending), skipping times whose window holds no point
 * (no data is no evidence either way). `points` must be sorted by `end`.
 */
export function windowAverages(points: readonly SeriesPoint[], times: readonly number[], windowMs: number): WindowAverage[] {
  const out: WindowAverage[] = [];
  let lo = 0;
  let hi = 0;
  let weighted = 0;
  let weight = 0;
  // A sliding window: each point enters once and leaves once, so a long backfill stays linear.
  for (const at of times) {
    while (hi < points.length && points[hi].end <= at) {
      weighted += points[hi].value * points[hi].minutes;
      weight += points[hi].minutes;
      hi += 1;
    }
    while (lo < hi && points[lo].end <= at - windowMs) {
      weighted -= points[lo].value * points[lo].minutes;
      weight -= points[lo].minutes;
      lo += 1;
    }
    if (weight > 0) out.push({ at, average: weighted / weight });
  }
  return out;
}

/** A violation as the arithmetic sees it (times in epoch ms). */
export interface Span {
  start: number;
  /** null while open. */
  end: number | null;
  /** Worst window average while open. */
  actual: number;
  lastBreachAt: number;
}

/**
 * Applies window averages (ascending, all after what `open` has seen) to a series: extends and
 * maybe closes the open violation, and opens (and maybe closes) new ones. Returns every span
 * touched, oldest first; the first is `open` (updated) when one was given. A value equal to the
 * target is within it: the target is the highest value the SLA allows.
 */
export function applyWindows(open: Span | null, averages: readonly WindowAverage[], target: number): Span[] {
  const spans: Span[] = open ? [{ ...open }] : [];
  let current: Span | null = spans[0] ?? null;
  for (const { at, average } of averages) {
    const breached = average > target;
    if (current && breached) {
      current.actual = Math.max(current.actual, average);
      current.lastBreachAt = at;
    } else if (current) {
      current.end = at;
      current = null;
    } else if (breached) {
      current = { start: at, end: null, actual: average, lastBreachAt: at };
      spans.push(current);
    }
  }
  return spans;
}
