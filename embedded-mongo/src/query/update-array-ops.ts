import { valuesEqual, compareValues } from '../bson/compare.js';
import { toNumber } from '../bson/types.js';
import { ErrorCode } from '../errors.js';
import type { Doc } from '../types.js';
import { compileFilter } from './filter.js';
import { isValueElemMatch } from './query-ops.js';
import { compareSortKeys, parseSort, sortKey } from './sort.js';
import { fail, isNumeric, type Modifier, setSlot } from './update-slot.js';
import { bsonTypeName, cloneValue, formatValue, idFragment, isPlainObject } from './values.js';

/** Array update modifiers: $push (with $each/$position/$sort/$slice), $addToSet, $pop, $pull, $pullAll. */

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

export const $push: Modifier = {
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

export const $addToSet: Modifier = {
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

export const $pop: Modifier = {
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
export function pullMatcher(cond: unknown): (el: unknown) => boolean {
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

export const pullLike = (prepare: (arg: unknown) => (el: unknown) => boolean): Modifier => ({
  creates: false,
  prepare,
  apply(slot, match) {
    if (slot.value === undefined) return;
    if (!Array.isArray(slot.value)) throw fail(ErrorCode.BadValue, 'Cannot apply $pull to a non-array value');
    const kept = slot.value.filter((el) => !(match as (el: unknown) => boolean)(el));
    if (kept.length !== slot.value.length) setSlot(slot, kept);
  },
});

export const $pull = pullLike(pullMatcher);

export const $pullAll = pullLike((arg) => {
  if (!Array.isArray(arg)) throw fail(ErrorCode.BadValue, `$pullAll requires an array argument but was given a ${bsonTypeName(arg)}`);
  return (el) => arg.some((x) => valuesEqual(el, x));
});

