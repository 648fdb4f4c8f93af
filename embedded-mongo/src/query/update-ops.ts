import { Decimal128, Long, Timestamp } from 'bson';
import { compareValues } from '../bson/compare.js';
import { bsonTag, toNumber } from '../bson/types.js';
import { ErrorCode } from '../errors.js';
import { $addToSet, $pop, $pull, $pullAll, $push } from './update-array-ops.js';
import { fail, isNumeric, type Modifier, setSlot, unsetSlot } from './update-slot.js';
import { bsonTypeName, cloneValue, formatValue, idFragment, isPlainObject } from './values.js';

export type { ApplyEnv, Modifier, Slot } from './update-slot.js';
export { setSlot, unsetSlot } from './update-slot.js';

/**
 * The update modifiers ($set, $inc, $push, ...): argument validation at parse time and the
 * effect on one located field at apply time, with mongod's error codes and messages.
 */

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
  $pull,
  $pullAll,
  $currentDate,
  $bit,
  // $rename is applied by update.ts (it moves a value between two slots).
  $rename: { creates: false, prepare: (arg) => arg, apply: () => undefined },
};
