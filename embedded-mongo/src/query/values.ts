import { compareValues } from '../bson/compare.js';
import { bsonTag, TypeRank, typeRank } from '../bson/types.js';
import type { Doc } from '../types.js';

/**
 * Small BSON-aware value helpers shared by the query layer: copy-on-write cloning (bson class
 * instances are immutable in practice and stay shared), strict "nothing changed" equality, the
 * expression-order comparison where missing sorts below null, and mongod-like value printing for
 * error messages.
 */

/** A plain JS object as `bson` deserializes documents (not a Date, RegExp, bson class, ...). */
export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Deep copy of plain objects and arrays; Dates are copied, every other value is shared. */
export function cloneValue<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

/**
 * True when the two values would serialize to the same BSON: same types (a double 1.5 is not a
 * Decimal128 1.5), same field order, same values. Used for mongod's `nModified` no-op detection.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (isPlainObject(a) || isPlainObject(b)) {
    if (!isPlainObject(a) || !isPlainObject(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameValue(a[k], b[k]));
  }
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (bsonTag(a) !== bsonTag(b) || a.constructor !== b.constructor) return false;
  if (bsonTag(a) === 'Decimal128') return String(a) === String(b);
  return compareValues(a, b) === 0;
}

/**
 * mongod's aggregation-expression order: like `compareValues`, except that a missing value
 * (`undefined`) sorts between MinKey and null instead of being equal to null. It is also the order
 * of sort keys, where an empty array produces an `undefined` key.
 */
export function compareMissingLow(a: unknown, b: unknown): number {
  const ua = a === undefined;
  const ub = b === undefined;
  if (!ua && !ub) return compareValues(a, b);
  if (ua && ub) return 0;
  const otherIsMinKey = typeRank(ua ? b : a) === TypeRank.MinKey;
  const missingFirst = otherIsMinKey ? 1 : -1;
  return ua ? missingFirst : -missingFirst;
}

/** mongod's `$type` name of a value ('double', 'int', 'objectId', 'missing', ...). */
export function bsonTypeName(v: unknown): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? 'int' : 'double';
    case 'bigint':
      return 'long';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      break;
  }
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (v instanceof RegExp) return 'regex';
  if (ArrayBuffer.isView(v)) return 'binData';
  switch (bsonTag(v)) {
    case 'ObjectId':
      return 'objectId';
    case 'Decimal128':
      return 'decimal';
    case 'Long':
      return 'long';
    case 'Int32':
      return 'int';
    case 'Double':
      return 'double';
    case 'Binary':
      return 'binData';
    case 'Timestamp':
      return 'timestamp';
    case 'BSONRegExp':
      return 'regex';
    case 'BSONSymbol':
      return 'symbol';
    case 'Code':
      return 'javascript';
    case 'MinKey':
      return 'minKey';
    case 'MaxKey':
      return 'maxKey';
    case 'DBRef':
      return 'object';
    default:
      return 'object';
  }
}

/** Prints a value roughly the way mongod prints BSON in error messages: `{ a: 1, b: "x" }`. */
export function formatValue(v: unknown, depth = 0): string {
  if (depth > 8) return '...';
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.length ? `[ ${v.map((x) => formatValue(x, depth + 1)).join(', ')} ]` : '[]';
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v);
    if (!keys.length) return '{}';
    return `{ ${keys.map((k) => `${k}: ${formatValue(v[k], depth + 1)}`).join(', ')} }`;
  }
  switch (bsonTag(v)) {
    case 'ObjectId':
      return `ObjectId('${(v as { toHexString(): string }).toHexString()}')`;
    case 'Decimal128':
      return `NumberDecimal("${String(v)}")`;
    case 'Long':
      return `NumberLong(${String(v)})`;
    default:
      return String(v);
  }
}

/** The `{_id: ...}` fragment mongod puts in update error messages. */
export const idFragment = (doc: Doc): string => `{_id: ${formatValue(doc._id)}}`;

/** mongod keeps `_id` as the first field of a stored document. */
export function idFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (!('_id' in doc) || keys[0] === '_id') return doc;
  const out: Doc = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

