import { toNumber, TypeRank, typeRank } from '../bson/types.js';
import { badValue } from '../errors.js';
import { MISSING } from './paths.js';
import { bsonTypeName } from './values.js';

/** Value predicates of `$type`, `$size` and `$mod` (argument validation as mongod). */

export type ValuePred = (v: unknown) => boolean;

const TYPE_ALIASES = buildAliases();

function buildAliases(): Record<string, string[]> {
  const codes: Record<string, number> = {
    double: 1, string: 2, object: 3, array: 4, binData: 5, undefined: 6, objectId: 7, bool: 8, date: 9,
    null: 10, regex: 11, javascript: 13, symbol: 14, int: 16, timestamp: 17, long: 18, decimal: 19,
    minKey: -1, maxKey: 127,
  };
  const out: Record<string, string[]> = { number: ['int', 'long', 'double', 'decimal'] };
  for (const [name, code] of Object.entries(codes)) {
    out[name] = [name];
    out[String(code)] = [name];
  }
  return out;
}

export function typePred(arg: unknown): ValuePred {
  const specs = Array.isArray(arg) ? arg : [arg];
  if (!specs.length) throw badValue('$type must match at least one type');
  const wanted = new Set<string>();
  for (const s of specs) {
    const names = typeof s === 'number' || typeof s === 'string' ? TYPE_ALIASES[String(s)] : undefined;
    if (!names) {
      throw badValue(typeof s === 'string' ? `Unknown type name alias: ${s}` : `Invalid numerical type code: ${String(s)}`);
    }
    names.forEach((n) => wanted.add(n));
  }
  return (v) => v !== MISSING && wanted.has(bsonTypeName(v));
}

export function sizePred(arg: unknown): ValuePred {
  if (typeof arg !== 'number' && typeRank(arg) !== TypeRank.Number) throw badValue('$size needs a number');
  const n = toNumber(arg);
  if (!Number.isInteger(n)) throw badValue(`Failed to parse $size. Expected an integer, but found ${n}`);
  if (n < 0) throw badValue(`Failed to parse $size. Expected a non-negative number in: $size: ${n}`);
  return (v) => Array.isArray(v) && v.length === n;
}

export function modPred(arg: unknown): ValuePred {
  if (!Array.isArray(arg)) throw badValue('malformed mod, needs to be an array');
  if (arg.length < 2) throw badValue('malformed mod, not enough elements');
  if (arg.length > 2) throw badValue('malformed mod, too many elements');
  if (typeRank(arg[0]) !== TypeRank.Number) throw badValue('malformed mod, divisor not a number');
  if (typeRank(arg[1]) !== TypeRank.Number) throw badValue('malformed mod, remainder not a number');
  const divisor = Math.trunc(toNumber(arg[0]));
  const remainder = Math.trunc(toNumber(arg[1]));
  if (divisor === 0) throw badValue('divisor cannot be 0');
  return (v) => {
    if (v === MISSING || typeRank(v) !== TypeRank.Number) return false;
    const n = toNumber(v);
    return Number.isFinite(n) && Math.trunc(n) % divisor === remainder;
  };
}
