import { compareValues } from '../../bson/compare.js';
import { bsonTag, typeRank, TypeRank } from '../../bson/types.js';
import { valueKey } from '../../bson/value-key.js';
import type { Doc } from '../../types.js';
import { isPlainObject, type FilterShape, type PathConstraint } from './constraints.js';

type Condition = { op: string; value: unknown };

/**
 * True when every document matching the query provably matches the partial filter, i.e. the
 * partial index holds every candidate. Conservative: each partial conjunct must be implied by
 * one query constraint on the same path (identical predicate, equality values inside the
 * partial range, a tighter range, or any non-null constraint for `$exists: true`); anything
 * else (partial `$or`, `$type` not repeated verbatim, …) answers false and the index is skipped.
 */
export function impliesPartial(partial: Doc, shape: FilterShape): boolean {
  for (const [key, cond] of Object.entries(partial)) {
    if (key === '$and') {
      if (!Array.isArray(cond) || !cond.every((sub) => isPlainObject(sub) && impliesPartial(sub, shape))) return false;
      continue;
    }
    if (key.startsWith('$')) return false;
    const pc = shape.paths.get(key);
    if (!pc || !conditionsOf(cond).every((c) => implied(pc, c))) return false;
  }
  return true;
}

function conditionsOf(cond: unknown): Condition[] {
  if (isPlainObject(cond)) {
    const keys = Object.keys(cond);
    if (keys.length && keys.every((k) => k.startsWith('$'))) return keys.map((op) => ({ op, value: cond[op] }));
  }
  return [{ op: '$eq', value: cond }];
}

function implied(pc: PathConstraint, c: Condition): boolean {
  const key = exactKey(c.value);
  if (key !== undefined && pc.conditions.some((q) => q.op === c.op && exactKey(q.value) === key)) return true;
  switch (c.op) {
    case '$exists':
      // Ranges never match null/missing; a null-free equality set means the path is present.
      return !!c.value && (pc.ranges.length > 0 || pc.pointSets.some((set) => set.every((p) => typeRank(p) !== TypeRank.Null)));
    case '$eq':
      return pc.pointSets.some((set) => set.every((p) => sameValue(p, c.value)));
    case '$in':
      return Array.isArray(c.value) && pc.pointSets.some((set) => set.every((p) => (c.value as unknown[]).some((v) => sameValue(p, v))));
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return (
        pc.pointSets.some((set) => set.every((p) => pointSatisfies(p, c))) ||
        pc.ranges.some((q) => rangeImplies(q, c))
      );
    default:
      return false;
  }
}

/**
 * Long and Decimal128 compare through a double approximation in this engine; a proof must not
 * rest on that, so such operands never count as implying anything.
 */
const wide = (v: unknown): boolean => {
  const tag = bsonTag(v);
  return tag === 'Long' || tag === 'Decimal128';
};

const exactKey = (v: unknown): string | undefined => (wide(v) ? undefined : valueKey(v));

function sameValue(a: unknown, b: unknown): boolean {
  const ka = exactKey(a);
  return ka !== undefined && ka === exactKey(b);
}

function comparable(a: unknown, b: unknown): boolean {
  return !wide(a) && !wide(b) && typeRank(a) === typeRank(b) && typeRank(a) !== TypeRank.Null;
}

/** Does equality value `p` satisfy the partial range `c` (same type bracket, right side)? */
function pointSatisfies(p: unknown, c: Condition): boolean {
  if (!comparable(p, c.value)) return false;
  const cmp = compareValues(p, c.value);
  switch (c.op) {
    case '$gt':
      return cmp > 0;
    case '$gte':
      return cmp >= 0;
    case '$lt':
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}

/** Is the query range `q` at least as tight as the partial range `c` on the same side? */
function rangeImplies(q: Condition, c: Condition): boolean {
  if (!comparable(q.value, c.value)) return false;
  const lower = c.op === '$gt' || c.op === '$gte';
  if (lower !== (q.op === '$gt' || q.op === '$gte')) return false;
  const cmp = compareValues(q.value, c.value) * (lower ? 1 : -1);
  return cmp > 0 || (cmp === 0 && (c.op === '$gte' || c.op === '$lte' || q.op === c.op));
}
