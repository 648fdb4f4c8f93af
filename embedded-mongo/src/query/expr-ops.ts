import { Decimal128, ObjectId } from 'bson';
import { evalExpr } from 'mingo/core';
import { $push } from 'mingo/operators/accumulator';
import type { Options } from 'mingo/types';
import { bsonTag, toNumber, TypeRank, typeRank } from '../bson/types.js';
import { valueKey } from '../bson/value-key.js';
import { MongoCommandError, notImplemented } from '../errors.js';
import type { Doc } from '../types.js';
import type { AccumulatorOp, ExprOp, OperatorTable } from './mingo-types.js';
import { bsonTypeName, compareMissingLow, formatValue, isPlainObject } from './values.js';

/**
 * Aggregation-expression operators whose mingo versions are not BSON-aware. Comparisons use
 * mongod's canonical order (no type bracketing in expressions; missing < null), so `$expr` and
 * `$lookup` pipelines compare ObjectIds, Dates and mixed-width numbers correctly.
 */

function twoArgs(name: string, obj: Doc, expr: unknown, options: Options): [unknown, unknown] {
  const args = Array.isArray(expr) ? expr : [expr];
  if (args.length !== 2) {
    throw new MongoCommandError(16020, `Expression ${name} takes exactly 2 arguments. ${args.length} were passed in.`);
  }
  const [a, b] = evalExpr(obj, args, options) as unknown[];
  return [a, b];
}

const comparison =
  (name: string, test: (c: number) => boolean): ExprOp =>
  (obj, expr, options) => {
    const [a, b] = twoArgs(name, obj, expr, options);
    return test(compareMissingLow(a, b));
  };

const $in: ExprOp = (obj, expr, options) => {
  const [item, arr] = twoArgs('$in', obj, expr, options);
  if (!Array.isArray(arr)) {
    throw new MongoCommandError(40081, `$in requires an array as a second argument, found: ${bsonTypeName(arr)}`);
  }
  return arr.some((v) => compareMissingLow(v, item) === 0);
};

const $type: ExprOp = (obj, expr, options) => {
  const arg = Array.isArray(expr) && expr.length === 1 ? expr[0] : expr;
  return bsonTypeName(evalExpr(obj, arg, options));
};

const $toString: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  switch (bsonTag(v)) {
    case 'ObjectId':
      return (v as ObjectId).toHexString();
    case 'Decimal128':
    case 'Long':
      return String(v);
    default:
      throw new MongoCommandError(241, `Unsupported conversion from ${bsonTypeName(v)} to string in $convert with no onError value`);
  }
};

const $toObjectId: ExprOp = (obj, expr, options) => {
  const v = evalExpr(obj, expr, options);
  if (v === null || v === undefined) return null;
  if (bsonTag(v) === 'ObjectId') return v;
  if (typeof v === 'string' && /^[0-9a-fA-F]{24}$/.test(v)) return ObjectId.createFromHexString(v);
  throw new MongoCommandError(241, `Failed to parse objectId '${formatValue(v)}' in $convert with no onError value`);
};

const collect = (coll: unknown[], expr: unknown, options: Options) =>
  ($push(coll, expr, options) as unknown[]).filter((v) => v !== null && v !== undefined);

/** `$max`/`$min` as accumulators (and as expressions over arrays): BSON order, nulls ignored. */
const extreme =
  (sign: 1 | -1): AccumulatorOp =>
  (coll, expr, options) => {
    let best: unknown = null;
    for (const v of collect(coll, expr, options)) {
      if (best === null || sign * compareMissingLow(v, best) > 0) best = v;
    }
    return best;
  };

/** `$addToSet` with BSON equality (1, 1.0 and NumberDecimal("1") are one value). */
const $addToSet: AccumulatorOp = (coll, expr, options) => {
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const v of $push(coll, expr, options) as unknown[]) {
    const key = valueKey(v);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
};

/** Sum of the numeric values (any width); Decimal128 in → Decimal128 out, like mongod. */
function numericTotal(values: unknown[]): { total: number; count: number; decimal: boolean } {
  let total = 0;
  let count = 0;
  let decimal = false;
  for (const v of values) {
    if (typeRank(v) !== TypeRank.Number) continue;
    total += toNumber(v);
    count++;
    decimal ||= bsonTag(v) === 'Decimal128';
  }
  return { total, count, decimal };
}

const asDecimal = (n: number) => Decimal128.fromString(Number.isFinite(n) ? String(n).replace('e', 'E') : String(n));

const $sum: AccumulatorOp = (coll, expr, options) => {
  if (typeRank(expr) === TypeRank.Number) return coll.length * toNumber(expr);
  const { total, decimal } = numericTotal($push(coll, expr, options) as unknown[]);
  return decimal ? asDecimal(total) : total;
};

const $avg: AccumulatorOp = (coll, expr, options) => {
  const { total, count, decimal } = numericTotal($push(coll, expr, options) as unknown[]);
  if (!count) return null;
  return decimal ? asDecimal(total / count) : total / count;
};

export const expressionOverrides: OperatorTable<ExprOp> = {
  $eq: comparison('$eq', (c) => c === 0),
  $ne: comparison('$ne', (c) => c !== 0),
  $gt: comparison('$gt', (c) => c > 0),
  $gte: comparison('$gte', (c) => c >= 0),
  $lt: comparison('$lt', (c) => c < 0),
  $lte: comparison('$lte', (c) => c <= 0),
  $cmp: (obj, expr, options) => Math.sign(compareMissingLow(...twoArgs('$cmp', obj, expr, options))),
  $in,
  $type,
  $toString,
  $toObjectId,
  // mingo's $setWindowFields evaluates its windows through `$function` with a JS function body;
  // requests can never carry JS functions (BSON Code is not a function), so user $function fails.
  $function: (obj, expr, options) => {
    const body = isPlainObject(expr) ? expr.body : undefined;
    if (typeof body !== 'function') throw notImplemented('$function');
    const args = evalExpr(obj, (expr as Doc).args ?? [], options) as unknown[];
    return (body as (...a: unknown[]) => unknown)(...args);
  },
};

export const accumulatorOverrides: OperatorTable<AccumulatorOp> = {
  $sum,
  $avg,
  $max: extreme(1),
  $min: extreme(-1),
  $addToSet,
  $accumulator: () => {
    throw notImplemented('$accumulator');
  },
};
