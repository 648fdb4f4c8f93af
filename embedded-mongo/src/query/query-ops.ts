import { Query } from 'mingo/query';
import type { Options } from 'mingo/types';
import { compareValues } from '../bson/compare.js';
import { bsonTag, toNumber, TypeRank, typeRank } from '../bson/types.js';
import { valueKey } from '../bson/value-key.js';
import { badValue, notImplemented } from '../errors.js';
import type { Doc } from '../types.js';
import { MISSING, queryValues } from './paths.js';
import { modPred, sizePred, typePred } from './query-preds.js';
import type { OperatorTable, QueryOp } from './mingo-types.js';
import { isPlainObject } from './values.js';

/**
 * Query (match) operators with mongod semantics, registered over mingo's. Every leaf operator
 * walks the path with mongod's element iterator (`queryValues`) and matches when any candidate
 * matches; comparisons use canonical BSON order with type bracketing.
 */

type ValuePred = (v: unknown) => boolean;

const isNullish = (v: unknown) => v === MISSING || v === null || v === undefined;

/** A leaf operator: true when any candidate value at the path satisfies `pred`. */
const anyValue =
  (make: (arg: unknown, options: Options) => ValuePred, leafArrays = true): QueryOp =>
  (selector, arg, options) => {
    const parts = selector.split('.');
    const pred = make(arg, options);
    return (doc: Doc) => queryValues(doc, parts, leafArrays).some(pred);
  };

const negate =
  (op: QueryOp): QueryOp =>
  (selector, arg, options) => {
    const inner = op(selector, arg, options);
    return (doc: Doc) => !inner(doc);
  };

/** Non-global copy of a RegExp, so `test` has no `lastIndex` state. */
const statelessRegex = (re: RegExp) => (re.global || re.sticky ? new RegExp(re.source, re.flags.replace(/[gy]/g, '')) : re);

function regexPred(re: RegExp): ValuePred {
  const r = statelessRegex(re);
  return (v) => {
    if (typeof v === 'string') return r.test(v);
    if (bsonTag(v) === 'BSONSymbol') return r.test(String((v as { value: string }).value));
    if (v instanceof RegExp) return v.source === re.source && v.flags === re.flags;
    return false;
  };
}

export function eqPred(rhs: unknown): ValuePred {
  if (rhs === null || rhs === undefined) return isNullish;
  const rank = typeRank(rhs);
  return (v) => v !== MISSING && typeRank(v) === rank && compareValues(v, rhs) === 0;
}

type RangeOp = '$gt' | '$gte' | '$lt' | '$lte';

export function rangePred(op: RangeOp, rhs: unknown): ValuePred {
  const rank = typeRank(rhs);
  const orEqual = op === '$gte' || op === '$lte';
  const rhsNaN = rank === TypeRank.Number && Number.isNaN(toNumber(rhs));
  return (raw) => {
    const v = raw === MISSING ? null : raw;
    const r = typeRank(v);
    if (r !== rank) {
      if (rank === TypeRank.MinKey) return op === '$gt' || op === '$gte';
      if (rank === TypeRank.MaxKey) return op === '$lt' || op === '$lte';
      return false;
    }
    if (rank === TypeRank.Number && (rhsNaN || Number.isNaN(toNumber(v)))) {
      return orEqual && rhsNaN && Number.isNaN(toNumber(v));
    }
    const c = compareValues(v, rhs);
    if (c === 0) return orEqual;
    return op === '$gt' || op === '$gte' ? c > 0 : c < 0;
  };
}

export function inPred(arg: unknown, op: string): ValuePred {
  if (!Array.isArray(arg)) throw badValue(`${op} needs an array`);
  const regexes = arg.filter((x): x is RegExp => x instanceof RegExp).map(regexPred);
  const hasNull = arg.some((x) => x === null || x === undefined);
  const values = arg.filter((x) => !(x instanceof RegExp) && x != null);
  // Strings (ids: the huge $in lists of topology walks) are looked up as themselves, with no
  // key string built per tested value.
  const strings = new Set(values.filter((x): x is string => typeof x === 'string'));
  const keys = new Set(values.filter((x) => typeof x !== 'string').map(valueKey));
  return (v) => {
    if (isNullish(v)) return hasNull;
    if (typeof v === 'string' && strings.has(v)) return true;
    return (typeof v !== 'string' && keys.size > 0 && keys.has(valueKey(v))) || regexes.some((p) => p(v));
  };
}

const VALUE_ELEM_MATCH_EXCLUDED = new Set(['$and', '$or', '$nor', '$expr', '$where', '$text', '$comment']);

/** True when `$elemMatch: criteria` applies operators to the element itself (value form). */
export const isValueElemMatch = (criteria: Doc): boolean => {
  const first = Object.keys(criteria)[0];
  return first !== undefined && first.startsWith('$') && !VALUE_ELEM_MATCH_EXCLUDED.has(first);
};

/** Predicate on one array element for `$elemMatch: criteria` (criteria already normalized). */
export function elemMatchPredicate(criteria: unknown, options: Options | Partial<Options>): ValuePred {
  if (!isPlainObject(criteria)) throw badValue('$elemMatch needs an Object');
  if (isValueElemMatch(criteria)) {
    const q = new Query({ v: criteria }, options);
    return (el) => q.test({ v: el });
  }
  const q = new Query(criteria, options);
  return (el) => isPlainObject(el) || Array.isArray(el) ? q.test(el as Doc) : false;
}

function elemMatchArrays(arg: unknown, options: Options): ValuePred {
  const pred = elemMatchPredicate(arg, options);
  return (v) => Array.isArray(v) && v.some(pred);
}

function allPred(arg: unknown, options: Options): { onValues: ValuePred[]; onArrays: ValuePred[] } {
  if (!Array.isArray(arg)) throw badValue('$all needs an array');
  const onValues: ValuePred[] = [];
  const onArrays: ValuePred[] = [];
  for (const x of arg) {
    if (isPlainObject(x) && Object.keys(x)[0] === '$elemMatch') onArrays.push(elemMatchArrays(x.$elemMatch, options));
    else onValues.push(x instanceof RegExp ? regexPred(x) : eqPred(x));
  }
  return { onValues, onArrays };
}

const notSupported =
  (name: string): QueryOp =>
  () => {
    throw notImplemented(name);
  };

export const queryOverrides: OperatorTable<QueryOp> = {
  $eq: anyValue((arg) => eqPred(arg)),
  $ne: negate(anyValue((arg) => eqPred(arg))),
  $gt: anyValue((arg) => rangePred('$gt', arg)),
  $gte: anyValue((arg) => rangePred('$gte', arg)),
  $lt: anyValue((arg) => rangePred('$lt', arg)),
  $lte: anyValue((arg) => rangePred('$lte', arg)),
  $in: anyValue((arg) => inPred(arg, '$in')),
  $nin: negate(anyValue((arg) => inPred(arg, '$nin'))),
  $regex: anyValue((arg) => regexPred(arg instanceof RegExp ? arg : new RegExp(String(arg)))),
  $type: anyValue((arg) => typePred(arg)),
  $size: anyValue((arg) => sizePred(arg), false),
  $mod: anyValue((arg) => modPred(arg)),
  $elemMatch: anyValue((arg, options) => elemMatchArrays(arg, options), false),
  $exists: (selector, arg) => {
    const parts = selector.split('.');
    const want = !(arg === false || arg === 0 || arg === null || arg === undefined);
    return (doc: Doc) => queryValues(doc, parts, false).some((v) => v !== MISSING) === want;
  },
  $all: (selector, arg, options) => {
    const parts = selector.split('.');
    const { onValues, onArrays } = allPred(arg, options);
    if (!onValues.length && !onArrays.length) return () => false;
    return (doc: Doc) => {
      if (onValues.length) {
        const values = queryValues(doc, parts, true);
        if (!onValues.every((p) => values.some(p))) return false;
      }
      if (onArrays.length) {
        const arrays = queryValues(doc, parts, false);
        if (!onArrays.every((p) => arrays.some(p))) return false;
      }
      return true;
    };
  },
  $where: notSupported('$where'),
  $jsonSchema: notSupported('$jsonSchema'),
  $text: notSupported('$text'),
};
