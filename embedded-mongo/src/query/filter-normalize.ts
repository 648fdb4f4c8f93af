import { badValue, MongoCommandError, notImplemented } from '../errors.js';
import type { Doc } from '../types.js';
import { isValueElemMatch } from './query-ops.js';
import { isPlainObject } from './values.js';

/**
 * Validates a query filter the way mongod's parser does and rewrites it into the shape mingo
 * compiles without guessing: every field condition becomes an operator object, `$regex`/`$options`
 * become one RegExp, `$comment` is dropped, and unsupported operators fail up front.
 */

const FIELD_OPERATORS = new Set([
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$type', '$size', '$all',
  '$elemMatch', '$mod', '$not', '$bitsAllSet', '$bitsAllClear', '$bitsAnySet', '$bitsAnyClear',
]);
const GEO_OPERATORS = new Set([
  '$near', '$nearSphere', '$geoWithin', '$geoIntersects', '$within', '$maxDistance', '$minDistance',
  '$box', '$center', '$centerSphere', '$polygon', '$geometry',
]);

export function normalizeFilter(filter: unknown): Doc {
  if (!isPlainObject(filter)) throw badValue('query filter must be an object');
  const out: Doc = {};
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (!key.startsWith('$')) {
      out[key] = normalizeCondition(value);
      continue;
    }
    switch (key) {
      case '$and':
      case '$or':
      case '$nor':
        if (!Array.isArray(value) || value.length === 0) throw badValue(`${key} must be a nonempty array`);
        out[key] = value.map((clause) => {
          if (!isPlainObject(clause)) throw badValue('$or/$and/$nor entries need to be full objects');
          return normalizeFilter(clause);
        });
        break;
      case '$expr':
        out.$expr = value;
        break;
      case '$comment':
        break;
      case '$where':
      case '$jsonSchema':
      case '$text':
        throw notImplemented(key);
      default:
        throw badValue(
          `unknown top level operator: ${key}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`,
        );
    }
  }
  return out;
}

/** An operator object: a plain object whose first key is a `$` operator (DBRefs excepted). */
function isOperatorObject(v: unknown): v is Doc {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$') && !(keys[0] === '$ref' && keys.includes('$id'));
}

/** Normalizes the condition of one field into an operator object. */
export function normalizeCondition(value: unknown): Doc {
  if (value instanceof RegExp) return { $regex: buildRegex(value) };
  if (!isOperatorObject(value)) return { $eq: value === undefined ? null : value };
  const out: Doc = {};
  if ('$regex' in value || '$options' in value) {
    if (!('$regex' in value)) throw badValue('$options needs a $regex');
    out.$regex = buildRegex(value.$regex, value.$options);
  }
  for (const op of Object.keys(value)) {
    const arg = value[op];
    if (op === '$regex' || op === '$options') continue;
    if (GEO_OPERATORS.has(op)) throw notImplemented(op);
    if (!FIELD_OPERATORS.has(op)) throw badValue(`unknown operator: ${op}`);
    switch (op) {
      case '$in':
      case '$nin':
        if (!Array.isArray(arg)) throw badValue(`${op} needs an array`);
        out[op] = arg.map((x) => {
          if (isOperatorObject(x)) throw badValue(`cannot nest $ under ${op}`);
          return x instanceof RegExp ? buildRegex(x) : x;
        });
        break;
      case '$not':
        if (arg instanceof RegExp) out.$not = { $regex: buildRegex(arg) };
        else if (isOperatorObject(arg)) out.$not = normalizeCondition(arg);
        else if (isPlainObject(arg) && Object.keys(arg).length === 0) throw badValue('$not cannot be empty');
        else throw badValue('$not needs a regex or a document');
        break;
      case '$elemMatch':
        if (!isPlainObject(arg)) throw badValue('$elemMatch needs an Object');
        out.$elemMatch = isValueElemMatch(arg) ? normalizeCondition(arg) : normalizeFilter(arg);
        break;
      case '$all':
        if (!Array.isArray(arg)) throw badValue('$all needs an array');
        out.$all = arg.map((x) => {
          if (isPlainObject(x) && Object.keys(x)[0] === '$elemMatch') return { $elemMatch: normalizeCondition(x).$elemMatch };
          return x instanceof RegExp ? buildRegex(x) : x;
        });
        break;
      default:
        out[op] = arg === undefined ? null : arg;
    }
  }
  return out;
}

const REGEX_FLAGS = new Set(['i', 'm', 's', 'x', 'u']);

/** mongod regex (pattern + options i/m/s/x/u) as a JS RegExp; `x` strips whitespace/comments. */
export function buildRegex(pattern: unknown, options?: unknown): RegExp {
  let source: string;
  let flags = '';
  if (pattern instanceof RegExp) {
    if (options !== undefined && options !== '') {
      throw new MongoCommandError(51075, 'options set on the $regex regular expression and in $options');
    }
    source = pattern.source;
    flags = pattern.flags.replace(/[gyd]/g, '');
  } else if (typeof pattern === 'string') {
    source = pattern;
    if (options !== undefined && typeof options !== 'string') throw badValue('$options has to be a string');
    flags = (options as string | undefined) ?? '';
  } else {
    throw badValue('$regex has to be a string');
  }
  for (const f of flags) {
    if (!REGEX_FLAGS.has(f)) throw new MongoCommandError(51108, `invalid flag in regex options: ${f}`);
  }
  if (flags.includes('x')) {
    source = source.replace(/\\#/g, '\u0000').replace(/#[^\n]*/g, '').replace(/\\\s/g, (m) => `\u0001${m[1]}`);
    source = source.replace(/\s+/g, '').replace(/\u0000/g, '\\#').replace(/\u0001(.)/g, '\\$1');
    flags = flags.replace('x', '');
  }
  try {
    return new RegExp(source, [...new Set(flags)].join(''));
  } catch (e) {
    throw new MongoCommandError(51091, `Regular expression is invalid: ${(e as Error).message}`);
  }
}
