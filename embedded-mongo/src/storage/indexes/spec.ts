import { toNumber, typeRank, TypeRank } from '../../bson/types.js';
import { ErrorCode, notImplemented } from '../../errors.js';
import type { Doc } from '../../types.js';
import { IndexError, IndexErrorCode, specError } from './index-errors.js';
import { formatShell } from './shell-format.js';

/** An index as `createIndexes` receives it and `listIndexes` returns it. */
export interface IndexSpec {
  v?: number;
  name: string;
  key: Record<string, number | string>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

/** Query-layer functions the indexes need; injected so storage does not depend on the matcher. */
export interface IndexDeps {
  /**
   * The values an index on `path` stores for `doc`: one per array element, `undefined` (or no
   * value) for an empty array, `{ values: [null], missing: true }` when absent. `multikey`, when
   * given, says an array was traversed (detects one-element arrays too).
   */
  indexValues(doc: Doc, path: string): { values: unknown[]; missing: boolean; multikey?: boolean };
  /** Compiles a filter (used for partialFilterExpression) into a predicate. */
  compileFilter(filter: Doc): (doc: Doc) => boolean;
}

export const ID_INDEX_NAME = '_id_';

/** The `_id_` index every collection has, as listIndexes shows it. */
export const idIndexSpec = (): IndexSpec => ({ v: 2, key: { _id: 1 }, name: ID_INDEX_NAME });

/** The name drivers generate for a key pattern: `{ a: 1, b: -1 }` → `a_1_b_-1`. */
export const defaultIndexName = (key: Record<string, unknown>): string =>
  Object.entries(key).map(([field, dir]) => `${field}_${String(dir)}`).join('_');

/** Index types mongod has and this server does not implement (key values like `{ body: 'text' }`). */
const UNSUPPORTED_TYPES = new Set(['text', '2dsphere', '2d', 'hashed', 'geoHaystack', 'columnstore']);
/** Options accepted on every index type; anything else is rejected like mongod does (code 197). */
const OPTIONS = new Set(['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'hidden', 'background', 'collation', 'storageEngine', 'prepareUnique']);
const BOOLEAN_OPTIONS = new Set(['unique', 'sparse', 'hidden', 'background', 'prepareUnique']);
/** Legacy fields old drivers send; mongod silently drops them. */
const IGNORED = new Set(['ns', 'dropDups']);
/** Operators mongod allows in partialFilterExpression (6.0+ adds top-level $or and $in). */
const PARTIAL_OPERATORS = new Set(['$eq', '$exists', '$gt', '$gte', '$lt', '$lte', '$type', '$in']);

/**
 * Validates a requested spec and returns it as it will be listed: `v`, `key`, `name`, then the
 * options in request order. Throws mongod's error for each kind of bad spec.
 */
export function normalizeSpec(raw: IndexSpec, deps: IndexDeps): IndexSpec {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new IndexError(ErrorCode.TypeMismatch, 'Each index specification must be an object');
  }
  validateKey(raw);
  validateName(raw);
  const out: IndexSpec = { v: version(raw), key: { ...raw.key }, name: raw.name };
  for (const [option, value] of Object.entries(raw)) {
    if (option === 'v' || option === 'key' || option === 'name' || IGNORED.has(option) || value === undefined) continue;
    if (!OPTIONS.has(option)) {
      throw new IndexError(IndexErrorCode.InvalidIndexSpecificationOption, `The field '${option}' is not valid for an index specification. Specification: ${formatShell(raw)}`);
    }
    out[option] = BOOLEAN_OPTIONS.has(option) ? toBoolean(option, value) : value;
  }
  validateOptions(out, deps);
  return out;
}

function version(raw: IndexSpec): number {
  if (raw.v === undefined) return 2;
  const v = toNumber(raw.v);
  if (v !== 1 && v !== 2) throw specError(IndexErrorCode.CannotCreateIndex, raw, `index version v=${formatShell(raw.v)} is not supported; only v: 1 and v: 2 are`);
  return v;
}

function toBoolean(option: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeRank(value) === TypeRank.Number) return toNumber(value) !== 0;
  throw new IndexError(ErrorCode.TypeMismatch, `The field '${option}' must be a boolean, but got ${formatShell(value)}`);
}

function validateName(raw: IndexSpec): void {
  if (raw.name === undefined) throw specError(ErrorCode.FailedToParse, raw, "The 'name' field is a required property of an index specification");
  if (typeof raw.name !== 'string') throw new IndexError(ErrorCode.TypeMismatch, `The field 'name' must be a string, but got ${formatShell(raw.name)}`);
  if (raw.name === '') throw specError(IndexErrorCode.CannotCreateIndex, raw, 'The index name cannot be empty');
  if (raw.name === '*') throw specError(IndexErrorCode.CannotCreateIndex, raw, "The index name '*' is not valid.");
}

function validateKey(raw: IndexSpec): void {
  const key = raw.key as unknown;
  if (key === null || typeof key !== 'object' || Array.isArray(key)) {
    throw new IndexError(ErrorCode.TypeMismatch, `The field 'key' must be an object, but got ${formatShell(key)}`);
  }
  const entries = Object.entries(key as Doc);
  if (!entries.length) throw specError(IndexErrorCode.CannotCreateIndex, raw, 'Index keys cannot be empty.');
  for (const [field, dir] of entries) validateKeyField(raw, field, dir);
}

function validateKeyField(raw: IndexSpec, field: string, dir: unknown): void {
  const fail = (reason: string) => specError(IndexErrorCode.CannotCreateIndex, raw, reason);
  if (field === '$**' || field.endsWith('.$**')) throw notImplemented("wildcard index ('$**')");
  if (field.split('.').some((part) => part === '')) throw fail('Index keys cannot be an empty field.');
  if (field.startsWith('$')) throw fail("Index key contains an illegal field name: field name starts with '$'.");
  if (typeof dir === 'string') {
    if (UNSUPPORTED_TYPES.has(dir)) throw notImplemented(`index type '${dir}'`);
    throw fail(`Unknown index plugin '${dir}'`);
  }
  if (typeRank(dir) !== TypeRank.Number) {
    throw fail(`Values in v:2 index key pattern cannot be of type ${typeName(dir)}. Only numbers > 0, numbers < 0, and strings are allowed.`);
  }
  const n = toNumber(dir);
  if (n === 0 || Number.isNaN(n)) throw fail(`Values in the index key pattern can't be ${n === 0 ? '0' : 'NaN'}.`);
}

const typeName = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v === 'object' ? 'object' : typeof v;

/** True for the key pattern of the built-in `_id` index. */
export const isIdKey = (key: Record<string, unknown>): boolean => {
  const fields = Object.keys(key);
  return fields.length === 1 && fields[0] === '_id' && toNumber(key._id) === 1;
};

function validateOptions(spec: IndexSpec, deps: IndexDeps): void {
  if (isIdKey(spec.key)) {
    for (const option of ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'hidden']) {
      if (option in spec) {
        throw new IndexError(IndexErrorCode.InvalidIndexSpecificationOption, `The field '${option}' is not valid for an _id index specification. Specification: ${formatShell(spec)}`);
      }
    }
  }
  if (spec.expireAfterSeconds !== undefined) validateTtl(spec);
  if (spec.partialFilterExpression !== undefined) validatePartial(spec, deps);
  const collation = spec.collation as Doc | undefined;
  if (collation !== undefined && !(collation && collation.locale === 'simple')) throw notImplemented('index collation');
}

function validateTtl(spec: IndexSpec): void {
  const ttl: unknown = spec.expireAfterSeconds;
  if (typeRank(ttl) !== TypeRank.Number || Number.isNaN(toNumber(ttl))) {
    throw specError(IndexErrorCode.CannotCreateIndex, spec, `TTL index 'expireAfterSeconds' option must be numeric, but received a type of '${typeName(ttl)}'. Index spec: ${formatShell(spec)}`);
  }
  const n = toNumber(ttl);
  if (n < 0 || n > 2147483647) {
    throw specError(IndexErrorCode.CannotCreateIndex, spec, "TTL index 'expireAfterSeconds' option must be within an acceptable range, try a lower number");
  }
  if (Object.keys(spec.key).length > 1) {
    throw specError(IndexErrorCode.CannotCreateIndex, spec, `TTL indexes are single-field indexes, compound indexes do not support TTL. Index spec: ${formatShell(spec)}`);
  }
  spec.expireAfterSeconds = Math.trunc(n);
}

function validatePartial(spec: IndexSpec, deps: IndexDeps): void {
  const filter: unknown = spec.partialFilterExpression;
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new IndexError(ErrorCode.TypeMismatch, `The field 'partialFilterExpression' must be an object, but got ${formatShell(filter)}`);
  }
  if (spec.sparse) throw specError(IndexErrorCode.CannotCreateIndex, spec, 'cannot mix "partialFilterExpression" and "sparse" options');
  assertPartialOperators(spec, filter as Doc, true);
  deps.compileFilter(filter as Doc); // surfaces the matcher's own parse errors at creation time
}

/** mongod only accepts simple predicates in partial filters; the rest is "not supported". */
function assertPartialOperators(spec: IndexSpec, filter: Doc, topLevel: boolean): void {
  const unsupported = (what: string) => specError(IndexErrorCode.CannotCreateIndex, spec, `Expression not supported in partial index: ${what}`);
  for (const [field, cond] of Object.entries(filter)) {
    if (field === '$and' || (field === '$or' && topLevel)) {
      if (!Array.isArray(cond)) throw unsupported(field);
      for (const sub of cond) assertPartialOperators(spec, sub as Doc, field === '$and' && topLevel);
      continue;
    }
    if (field.startsWith('$')) throw unsupported(field);
    if (cond === null || typeof cond !== 'object' || Array.isArray(cond) || cond instanceof Date) continue;
    for (const [op, arg] of Object.entries(cond as Doc)) {
      if (!op.startsWith('$')) break; // an embedded document compared for equality
      if (!PARTIAL_OPERATORS.has(op) || (op === '$exists' && !arg)) throw unsupported(`${field} ${op} ${formatShell(arg)}`);
    }
  }
}
