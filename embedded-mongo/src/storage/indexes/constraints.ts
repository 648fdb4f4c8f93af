import { bsonTag, typeRank, TypeRank } from '../../bson/types.js';
import type { Doc } from '../../types.js';

export type RangeOp = '$gt' | '$gte' | '$lt' | '$lte';

/** What a filter says about one path, reduced to what an index can use. */
export interface PathConstraint {
  /** Equality sets, ANDed: a matching doc holds one value of each set at this path. */
  pointSets: unknown[][];
  /** Range predicates, ANDed. Each alone is already type-bracketed by the planner. */
  ranges: Array<{ op: RangeOp; value: unknown }>;
  /** Every operator seen at this path (including ones the planner ignores), for partial-filter proofs. */
  conditions: Array<{ op: string; value: unknown }>;
}

/** The index-relevant skeleton of a filter: conjunctive path constraints plus top-level `$or`s. */
export interface FilterShape {
  paths: Map<string, PathConstraint>;
  /** Each entry is one `$or` array (all of them are ANDed with `paths`). */
  ors: Doc[][];
}

/**
 * Extracts the conjunctive constraints of a filter. Anything not understood is simply left
 * out: dropping a conjunct only widens the candidate set, and the caller re-checks every
 * candidate with the full filter, so ignoring is always safe — misreading never is.
 */
export function analyzeFilter(filter: Doc): FilterShape {
  const shape: FilterShape = { paths: new Map(), ors: [] };
  walk(filter, shape);
  return shape;
}

function walk(filter: Doc, shape: FilterShape): void {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and') {
      if (Array.isArray(cond)) for (const sub of cond) if (isPlainObject(sub)) walk(sub, shape);
    } else if (key === '$or') {
      if (Array.isArray(cond) && cond.length > 0 && cond.every(isPlainObject)) shape.ors.push(cond as Doc[]);
    } else if (!key.startsWith('$') && plannablePath(key)) {
      addCondition(constraintFor(shape, key), cond);
    }
  }
}

function constraintFor(shape: FilterShape, path: string): PathConstraint {
  let pc = shape.paths.get(path);
  if (!pc) shape.paths.set(path, (pc = { pointSets: [], ranges: [], conditions: [] }));
  return pc;
}

/**
 * Numeric path components (`a.0.b`) mean "array position or field named 0" to the matcher;
 * index keys do not encode positions, so such paths are left to a collection scan.
 */
const plannablePath = (path: string): boolean => path.split('.').every((part) => part !== '' && !/^\d+$/.test(part));

function addCondition(pc: PathConstraint, cond: unknown): void {
  if (isPlainObject(cond)) {
    const keys = Object.keys(cond);
    const ops = keys.filter((k) => k.startsWith('$')).length;
    if (ops > 0 && ops === keys.length) {
      for (const op of keys) addOperator(pc, op, cond[op]);
      return;
    }
    if (ops > 0) return; // mixed operators and fields: the matcher rejects it
  }
  addOperator(pc, '$eq', cond);
}

function addOperator(pc: PathConstraint, op: string, arg: unknown): void {
  pc.conditions.push({ op, value: arg });
  switch (op) {
    case '$eq':
      if (pointOk(arg)) pc.pointSets.push([arg]);
      return;
    case '$in':
      if (Array.isArray(arg) && arg.every(pointOk)) pc.pointSets.push(arg);
      return;
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      if (rangeOk(arg)) pc.ranges.push({ op, value: arg });
      return;
  }
}

/**
 * Values whose equality matches are exactly the index entries comparing equal to them. Arrays
 * are excluded (`{ a: [1, 2] }` also matches whole-array values, which are not entries), as
 * are regexes (pattern match, not equality) and `undefined` (not a BSON query value).
 */
export function pointOk(v: unknown): boolean {
  if (v === undefined || Array.isArray(v) || isRegex(v)) return false;
  const tag = bsonTag(v);
  return tag !== 'MinKey' && tag !== 'MaxKey';
}

/**
 * Range operands the planner brackets by type. null/MinKey/MaxKey/objects/arrays have
 * comparison rules (null matching missing, whole-array comparison) an entry range can't express.
 */
function rangeOk(v: unknown): boolean {
  switch (typeRank(v)) {
    case TypeRank.Number:
    case TypeRank.String:
    case TypeRank.Date:
    case TypeRank.ObjectId:
    case TypeRank.Boolean:
    case TypeRank.Timestamp:
    case TypeRank.BinData:
      return true;
    default:
      return false;
  }
}

const isRegex = (v: unknown): boolean => v instanceof RegExp || bsonTag(v) === 'BSONRegExp';

/** A document literal (not a bson class instance, Date, array, …). */
export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || bsonTag(v) !== undefined) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
