import { Decimal128, Long, Timestamp } from 'bson';
import { compareValues, valuesEqual } from '../bson/compare.js';
import { bsonTag, toNumber, TypeRank, typeRank } from '../bson/types.js';
import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { compileFilter } from './filter.js';
import { isValueElemMatch } from './query-ops.js';
import { compareSortKeys, parseSort, sortKey } from './sort.js';
import { bsonTypeName, cloneValue, formatValue, idFragment, isPlainObject } from './values.js';

/**
 * The update modifiers ($set, $inc, $push, ...): argument validation at parse time and the
 * effect on one located field at apply time, with mongod's error codes and messages. They
 * operate on a private working copy of the document (see update.ts), never on stored data.
 */

export interface Slot {
  /** Container holding the field (an array for numeric components). */
  parent: Doc | unknown[];
  key: string;
  /** Current value, undefined when absent. */
  value: unknown;
}

export interface ApplyEnv {
  /** The document before the update (for error messages). */
  original: Doc;
  /** The concrete dotted path being updated. */
  path: string;
  now: Date;
}

export interface Modifier {
  /** Whether missing parents are created (false: the modifier is a no-op on missing paths). */
  creates: boolean;
  /** Validates the argument of one field and returns the compiled argument for `apply`. */
  prepare(arg: unknown, path: string): unknown;
  apply(slot: Slot, arg: unknown, env: ApplyEnv): void;
}

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);
const isNumeric = (v: unknown) => typeRank(v) === TypeRank.Number;

export function setSlot(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) {
    const idx = Number(slot.key);
    while (slot.parent.length < idx) slot.parent.push(null);
    slot.parent[idx] = value;
  } else {
    slot.parent[slot.key] = value;
  }
  slot.value = value;
}

export function unsetSlot(slot: Slot): void {
  if (slot.value === undefined) return;
  if (Array.isArray(slot.parent)) slot.parent[Number(slot.key)] = null;
  else delete slot.parent[slot.key];
  slot.value = undefined;
}

const toBigInt = (v: unknown): bigint => (bsonTag(v) === 'Long' ? BigInt(String(v)) : BigInt(v as number));
const isIntegral = (v: unknown) => bsonTag(v) === 'Long' || typeof v === 'bigint' || Number.isInteger(v);

function fromBigInt(r: bigint): unknown {
  return r >= BigInt(Number.MIN_SAFE_INTEGER) && r <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r) : Long.fromBigInt(r);
}

function decimal(n: number): Decimal128 {
  return Decimal128.fromString(Number.isFinite(n) ? String(n).replace('e', 'E') : Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity');
}

/** `a + b` or `a * b` keeping mongod's type promotion (int → long, anything with decimal → decimal). */
export function arithmetic(a: unknown, b: unknown, op: 'add' | 'mul'): unknown {
  const f = op === 'add' ? (x: number, y: number) => x + y : (x: number, y: number) => x * y;
  if (bsonTag(a) === 'Decimal128' || bsonTag(b) === 'Decimal128') return decimal(f(toNumber(a), toNumber(b)));
  if (isIntegral(a) && isIntegral(b)) {
    const r = f(toNumber(a), toNumber(b));
    if (Number.isSafeInteger(r) && typeof a === 'number' && typeof b === 'number') return r;
    const big = op === 'add' ? toBigInt(a) + toBigInt(b) : toBigInt(a) * toBigInt(b);
    return fromBigInt(big);
  }
  return f(toNumber(a), toNumber(b));
}

const numericUpdate = (name: '$inc' | '$mul'): Modifier => ({
  creates: true,
  prepare(arg, path) {
    if (!isNumeric(arg)) {
      const verb = name === '$inc' ? 'increment' : 'multiply';
      throw fail(ErrorCode.TypeMismatch, `Cannot ${verb} with non-numeric argument: {${path}: ${formatValue(arg)}}`);
    }
    return arg;
  },
  apply(slot, arg, env) {
    if (slot.value === undefined) {
      setSlot(slot, name === '$inc' ? arg : bsonTag(arg) === 'Decimal128' ? decimal(0) : 0);
      return;
    }
    if (!isNumeric(slot.value)) {
      throw fail(
        ErrorCode.TypeMismatch,
        `Cannot apply ${name} to a value of non-numeric type. ${idFragment(env.original)} has the field '${slot.key}' of non-numeric type ${bsonTypeName(slot.value)}`,
      );
    }
    setSlot(slot, arithmetic(slot.value, arg, name === '$inc' ? 'add' : 'mul'));
  },
});

const minMax = (sign: 1 | -1): Modifier => ({
  creates: true,
  prepare: (arg) => arg,
  apply(slot, arg) {
    if (slot.value === undefined || sign * compareValues(arg, slot.value) > 0) setSlot(slot, cloneValue(arg));
  },
});

interface PushArgs {
  each: unknown[];
  slice?: number;
  sort?: 1 | -1 | Doc;
  position?: number;
}

const PUSH_CLAUSES = new Set(['$each', '$slice', '$sort', '$position']);

function parsePush(arg: unknown): PushArgs {
  if (!isPlainObject(arg) || !('$each' in arg)) return { each: [arg] };
  for (const k of Object.keys(arg)) if (!PUSH_CLAUSES.has(k)) throw fail(ErrorCode.BadValue, `Unrecognized clause in $push: ${k}`);
  const { $each, $slice, $sort, $position } = arg;
  if (!Array.isArray($each)) {
    throw fail(ErrorCode.BadValue, `The argument to $each in $push must be an array but it was of type: ${bsonTypeName($each)}`);
  }
  const integer = (v: unknown, what: string) => {
    if (v === undefined) return undefined;
    if (!isNumeric(v) || !Number.isInteger(toNumber(v))) {
      throw fail(ErrorCode.BadValue, `The value for ${what} must be an integer value but was given type: ${bsonTypeName(v)}`);
    }
    return toNumber(v);
  };
  let sort: PushArgs['sort'];
  if ($sort !== undefined) {
    const badSort = () => fail(ErrorCode.BadValue, 'The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
    if (isNumeric($sort)) {
      if (toNumber($sort) !== 1 && toNumber($sort) !== -1) throw badSort();
      sort = toNumber($sort) as 1 | -1;
    } else if (isPlainObject($sort) && Object.keys($sort).length) {
      try {
        parseSort($sort);
      } catch {
        throw badSort();
      }
      sort = $sort;
    } else {
      throw badSort();
    }
  }
  return { each: $each, slice: integer($slice, '$slice'), sort, position: integer($position, '$position') };
}

function sortElements(arr: unknown[], sort: 1 | -1 | Doc): unknown[] {
  if (typeof sort === 'number') {
    return arr.map((v, i) => ({ v, i })).sort((a, b) => sort * compareValues(a.v, b.v) || a.i - b.i).map((x) => x.v);
  }
  const spec = parseSort(sort);
  const keyed = arr.map((v, i) => {
    const doc = isPlainObject(v) ? v : {};
    return { v, i, keys: spec.map((s) => sortKey(doc, s.path, s.dir)) };
  });
  keyed.sort((a, b) => compareSortKeys(spec, a.keys, b.keys) || a.i - b.i);
  return keyed.map((k) => k.v);
}

const $push: Modifier = {
  creates: true,
  prepare: (arg) => parsePush(arg),
  apply(slot, raw, env) {
    const args = raw as PushArgs;
    if (slot.value !== undefined && !Array.isArray(slot.value)) {
      throw fail(
        ErrorCode.BadValue,
        `The field '${slot.key}' must be an array but is of type ${bsonTypeName(slot.value)} in document ${idFragment(env.original)}`,
      );
    }
    let arr = slot.value === undefined ? [] : (slot.value as unknown[]).slice();
    const items = args.each.map(cloneValue);
    const pos = args.position === undefined ? arr.length : args.position < 0 ? Math.max(0, arr.length + args.position) : Math.min(args.position, arr.length);
    arr.splice(pos, 0, ...items);
    if (args.sort !== undefined) arr = sortElements(arr, args.sort);
    if (args.slice !== undefined) arr = args.slice >= 0 ? arr.slice(0, args.slice) : arr.slice(Math.max(0, arr.length + args.slice));
    setSlot(slot, arr);
  },
};

const $addToSet: Modifier = {
  creates: true,
  prepare(arg) {
    if (!isPlainObject(arg) || !('$each' in arg)) return [arg];
    const extra = Object.keys(arg).filter((k) => k !== '$each');
    if (extra.length) throw fail(ErrorCode.BadValue, `Found unexpected fields after $each in $addToSet: ${formatValue(arg)}`);
    if (!Array.isArray(arg.$each)) {
      throw fail(ErrorCode.TypeMismatch, `The argument to $each in $addToSet must be an array but it was of type ${bsonTypeName(arg.$each)}`);
    }
    return arg.$each;
  },
  apply(slot, each) {
    if (slot.value !== undefined && !Array.isArray(slot.value)) {
      throw fail(
        ErrorCode.BadValue,
        `Cannot apply $addToSet to non-array field. Field named '${slot.key}' has non-array type ${bsonTypeName(slot.value)}`,
      );
    }
    const arr = slot.value === undefined ? [] : (slot.value as unknown[]).slice();
    for (const v of each as unknown[]) if (!arr.some((x) => valuesEqual(x, v))) arr.push(cloneValue(v));
    if (slot.value === undefined || arr.length !== (slot.value as unknown[]).length) setSlot(slot, arr);
  },
};

const $pop: Modifier = {
  creates: false,
  prepare(arg) {
    const n = isNumeric(arg) ? toNumber(arg) : Number.NaN;
    if (n !== 1 && n !== -1) throw fail(ErrorCode.FailedToParse, `$pop expects 1 or -1, found: ${formatValue(arg)}`);
    return n;
  },
  apply(slot, n, env) {
    if (slot.value === undefined) return;
    if (!Array.isArray(slot.value)) {
      throw fail(ErrorCode.TypeMismatch, `Path '${env.path}' contains an element of non-array type '${bsonTypeName(slot.value)}'`);
    }
    if (slot.value.length) setSlot(slot, n === 1 ? slot.value.slice(0, -1) : slot.value.slice(1));
  },
};

/** The element predicate of `$pull: {field: condition}`. */
function pullMatcher(cond: unknown): (el: unknown) => boolean {
  if (cond instanceof RegExp) {
    const test = compileFilter({ v: cond });
    return (el) => test({ v: el });
  }
  if (isPlainObject(cond) && Object.keys(cond).length) {
    if (isValueElemMatch(cond)) {
      const test = compileFilter({ v: cond });
      return (el) => test({ v: el });
    }
    const test = compileFilter(cond);
    return (el) => isPlainObject(el) && test(el);
  }
  return (el) => valuesEqual(el, cond);
}

const pullLike = (prepare: (arg: unknown) => (el: unknown) => boolean): Modifier => ({
  creates: false,
  prepare,
  apply(slot, match) {
    if (slot.value === undefined) return;
    if (!Array.isArray(slot.value)) throw fail(ErrorCode.BadValue, 'Cannot apply $pull to a non-array value');
    const kept = slot.value.filter((el) => !(match as (el: unknown) => boolean)(el));
    if (kept.length !== slot.value.length) setSlot(slot, kept);
  },
});

const $pullAll = pullLike((arg) => {
  if (!Array.isArray(arg)) throw fail(ErrorCode.BadValue, `$pullAll requires an array argument but was given a ${bsonTypeName(arg)}`);
  return (el) => arg.some((x) => valuesEqual(el, x));
});

const $currentDate: Modifier = {
  creates: true,
  prepare(arg) {
    if (typeof arg === 'boolean') return 'date';
    if (isPlainObject(arg) && Object.keys(arg).length === 1 && (arg.$type === 'date' || arg.$type === 'timestamp')) return arg.$type;
    if (isPlainObject(arg) && '$type' in arg) {
      throw fail(ErrorCode.BadValue, `The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}`);
    }
    throw fail(
      ErrorCode.BadValue,
      `${formatValue(arg)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`,
    );
  },
  apply(slot, type, env) {
    setSlot(slot, type === 'date' ? new Date(env.now.getTime()) : new Timestamp({ t: Math.floor(env.now.getTime() / 1000), i: 1 }));
  },
};

const BIT_OPS = new Set(['and', 'or', 'xor']);

const $bit: Modifier = {
  creates: true,
  prepare(arg) {
    if (!isPlainObject(arg) || !Object.keys(arg).length) {
      throw fail(ErrorCode.BadValue, `The $bit modifier is not compatible with a ${bsonTypeName(arg)}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}.`);
    }
    return Object.entries(arg).map(([op, operand]) => {
      if (!BIT_OPS.has(op)) {
        throw fail(ErrorCode.BadValue, `The $bit modifier only supports 'and', 'or', and 'xor', not '${op}' which is an unknown operator: {${op}: ${formatValue(operand)}}`);
      }
      if (!isIntegral(operand)) {
        throw fail(ErrorCode.BadValue, `The $bit modifier field must be an Integer(32/64 bit); a '${bsonTypeName(operand)}' is not supported here: {${op}: ${formatValue(operand)}}`);
      }
      return [op, toBigInt(operand)] as const;
    });
  },
  apply(slot, ops, env) {
    const cur = slot.value === undefined ? 0 : slot.value;
    if (!isIntegral(cur)) {
      throw fail(
        ErrorCode.BadValue,
        `Cannot apply $bit to a value of non-integral type.${idFragment(env.original)} has the field ${slot.key} of non-integer type ${bsonTypeName(cur)}`,
      );
    }
    let r = toBigInt(cur);
    for (const [op, operand] of ops as Array<readonly [string, bigint]>) r = op === 'and' ? r & operand : op === 'or' ? r | operand : r ^ operand;
    setSlot(slot, fromBigInt(BigInt.asIntN(64, r)));
  },
};

const $set: Modifier = { creates: true, prepare: (arg) => arg, apply: (slot, arg) => setSlot(slot, cloneValue(arg)) };

export const MODIFIERS: Record<string, Modifier> = {
  $set,
  $setOnInsert: $set,
  $unset: { creates: false, prepare: (arg) => arg, apply: (slot) => unsetSlot(slot) },
  $inc: numericUpdate('$inc'),
  $mul: numericUpdate('$mul'),
  $min: minMax(-1),
  $max: minMax(1),
  $push,
  $addToSet,
  $pop,
  $pull: pullLike(pullMatcher),
  $pullAll,
  $currentDate,
  $bit,
  // $rename is applied by update.ts (it moves a value between two slots).
  $rename: { creates: false, prepare: (arg) => arg, apply: () => undefined },
};
