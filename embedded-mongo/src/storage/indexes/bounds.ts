import { typeRank, TypeRank } from '../../bson/types.js';
import type { RangeOp } from './constraints.js';
import type { Interval } from './index-tree.js';
import { comparePart, MAX, MIN, pad, typeEnd, typeStart, type KeyTuple } from './key-order.js';

/** A range on one field in value order (not tree order). Ends may be `Bound`s. */
export interface FieldRange {
  lo: unknown;
  loInc: boolean;
  hi: unknown;
  hiInc: boolean;
}

/**
 * The type-bracketed range of one operator: `{ $gt: 5 }` spans numbers above 5 only, as in
 * mongod. Long/Decimal128 bounds stay inclusive because they order through a double
 * approximation here; the extra boundary entries are harmless since callers re-check. A plain
 * double bound is exact (the filter compares through the same double), so it stays exclusive
 * and a range examines exactly the documents it returns.
 */
export function opRange(op: RangeOp, value: unknown): FieldRange {
  const rank = typeRank(value);
  const exact = rank !== TypeRank.Number || typeof value === 'number';
  if (op === '$gt' || op === '$gte') return { lo: value, loInc: op === '$gte' || !exact, hi: typeEnd(rank), hiInc: true };
  return { lo: typeStart(rank), loInc: true, hi: value, hiInc: op === '$lte' || !exact };
}

/**
 * The range for a field's range predicates. On a multikey field, `{ $gt: 5, $lt: 10 }` matches
 * `[3, 12]` (different elements satisfy each bound), so intersecting would lose documents;
 * there only the first predicate bounds the scan, like mongod's multikey planning.
 */
export function combineRanges(ranges: Array<{ op: RangeOp; value: unknown }>, multikey: boolean): FieldRange {
  const parts = ranges.map((r) => opRange(r.op, r.value));
  if (multikey) return parts[0];
  return parts.reduce(intersect);
}

function intersect(a: FieldRange, b: FieldRange): FieldRange {
  const lo = comparePart(a.lo, b.lo);
  const hi = comparePart(a.hi, b.hi);
  return {
    lo: lo >= 0 ? a.lo : b.lo,
    loInc: lo > 0 ? a.loInc : lo < 0 ? b.loInc : a.loInc && b.loInc,
    hi: hi <= 0 ? a.hi : b.hi,
    hiInc: hi < 0 ? a.hiInc : hi > 0 ? b.hiInc : a.hiInc && b.hiInc,
  };
}

export function isEmptyRange(r: FieldRange): boolean {
  const c = comparePart(r.lo, r.hi);
  return c > 0 || (c === 0 && !(r.loInc && r.hiInc));
}

/** Upper limit on intervals from `$in` products over several fields; beyond it the prefix is cut short. */
export const MAX_INTERVALS = 4096;

/**
 * Scan intervals in tree order for an equality prefix (distinct values per leading field,
 * combined as a cartesian product) optionally followed by a range on the next field.
 * Unconstrained trailing fields and the idKey slot are padded with `Bound`s; an exclusive end
 * pads with the opposite edge so the tuple lands just past (or before) that value's entries.
 */
export function buildIntervals(dirs: readonly number[], prefix: unknown[][], range: FieldRange | null): Interval[] {
  if (range && isEmptyRange(range)) return [];
  const out: Interval[] = [];
  for (const combo of cartesian(prefix)) out.push(interval(dirs, combo, range));
  return out;
}

function interval(dirs: readonly number[], combo: unknown[], range: FieldRange | null): Interval {
  const n = dirs.length;
  const low: KeyTuple = new Array(n + 1);
  const high: KeyTuple = new Array(n + 1);
  let next = combo.length;
  for (let i = 0; i < next; i++) low[i] = high[i] = combo[i];
  let lowEdge: -1 | 1 = -1;
  let highEdge: -1 | 1 = 1;
  if (range) {
    // A descending field runs from value-space high to low in tree order.
    const asc = dirs[next] > 0;
    low[next] = asc ? range.lo : range.hi;
    high[next] = asc ? range.hi : range.lo;
    lowEdge = (asc ? range.loInc : range.hiInc) ? -1 : 1;
    highEdge = (asc ? range.hiInc : range.loInc) ? 1 : -1;
    next++;
  }
  for (let i = next; i < n; i++) {
    low[i] = pad(dirs[i], lowEdge);
    high[i] = pad(dirs[i], highEdge);
  }
  low[n] = lowEdge < 0 ? MIN : MAX;
  high[n] = highEdge > 0 ? MAX : MIN;
  return [low, high];
}

function cartesian(sets: unknown[][]): unknown[][] {
  let combos: unknown[][] = [[]];
  for (const set of sets) combos = combos.flatMap((c) => set.map((v) => [...c, v]));
  return combos;
}

/** Values sorted and deduplicated by index equality (1, 1.0 and Long(1) are one key). */
export function distinctValues(values: unknown[]): unknown[] {
  const sorted = [...values].sort(comparePart);
  return sorted.filter((v, i) => i === 0 || comparePart(sorted[i - 1], v) !== 0);
}
