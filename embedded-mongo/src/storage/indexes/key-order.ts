import { compareValues } from '../../bson/compare.js';
import { typeRank } from '../../bson/types.js';

/**
 * An index entry: the indexed values in key-pattern order followed by the document's idKey.
 * The idKey makes every entry distinct, so a non-unique value is simply a run of adjacent
 * entries and an equality lookup is a range scan over the value prefix.
 */
export type KeyTuple = unknown[];

/**
 * A scan boundary that sorts before (`side` -1) or after (`side` 1) every value of one BSON
 * type rank. It lets a range stop at the end of its type bracket (mongod's `{ $gt: 5 }` only
 * matches numbers) and pads the unconstrained tail of a bound tuple. Never stored in the tree.
 */
export class Bound {
  constructor(
    readonly rank: number,
    readonly side: -1 | 1,
  ) {}
}

/** Before / after every value of every type. */
export const MIN = new Bound(0, -1);
export const MAX = new Bound(100, 1);

/** First / last position of a BSON type rank in canonical order. */
export const typeStart = (rank: number): Bound => new Bound(rank, -1);
export const typeEnd = (rank: number): Bound => new Bound(rank, 1);

/**
 * Canonical BSON order extended with `Bound`s. This runs ~20 times per tree operation, so the
 * common same-type cases are answered inline, exactly as `compareValues` would (which e.g.
 * builds two hex strings per ObjectId comparison); everything else defers to it.
 */
export function comparePart(a: unknown, b: unknown): number {
  const ta = typeof a;
  if (ta === typeof b) {
    if (ta === 'string') return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    if (ta === 'number') return compareNumbers(a as number, b as number);
    if (ta === 'object' && a !== null && b !== null) {
      const fast = compareSameClass(a as object, b as object);
      if (fast !== undefined) return fast;
    }
  }
  if (a instanceof Bound) return b instanceof Bound ? a.rank - b.rank || a.side - b.side : boundVsValue(a, b);
  if (b instanceof Bound) return -boundVsValue(b, a);
  return compareValues(a, b);
}

/** NaN first and equal to itself, as in `compareValues`. */
function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const an = Number.isNaN(a);
  return an && Number.isNaN(b) ? 0 : an ? -1 : 1;
}

type PackedObjectId = { _bsontype: string; i0: number; i1: number; i2: number; i3: number };

/** Dates by time; ObjectIds by bson 7's packed 24-bit words (byte order = hex order). */
function compareSameClass(a: object, b: object): number | undefined {
  if (a instanceof Date && b instanceof Date) {
    const x = a.getTime();
    const y = b.getTime();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const oa = a as PackedObjectId;
  const ob = b as PackedObjectId;
  if (oa._bsontype !== 'ObjectId' || ob._bsontype !== 'ObjectId' || typeof oa.i3 !== 'number' || typeof ob.i3 !== 'number') return undefined;
  return oa.i0 - ob.i0 || oa.i1 - ob.i1 || oa.i2 - ob.i2 || oa.i3 - ob.i3;
}

function boundVsValue(bound: Bound, v: unknown): number {
  const rank = typeRank(v);
  return bound.rank === rank ? bound.side : bound.rank - rank;
}

/**
 * The tree order for an index with these field directions: field by field (a -1 field sorts
 * descending, so an index scan in tree order is the index's own sort order), then by idKey.
 */
export function tupleComparator(dirs: readonly number[]): (a: KeyTuple, b: KeyTuple) => number {
  const n = dirs.length;
  return (a, b) => {
    for (let i = 0; i < n; i++) {
      const c = comparePart(a[i], b[i]);
      if (c !== 0) return dirs[i] < 0 ? -c : c;
    }
    const x = a[n];
    const y = b[n];
    // The idKey slot: plain string order, unless one side is a Bound (scan limits).
    if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
    return comparePart(x, y);
  };
}

/** The padding that sorts first (`edge` -1) or last (`edge` 1) within a field of direction `dir`. */
export const pad = (dir: number, edge: -1 | 1): Bound => ((dir < 0 ? -edge : edge) < 0 ? MIN : MAX);
