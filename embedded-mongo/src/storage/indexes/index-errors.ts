import { ErrorCode, MongoCommandError } from '../../errors.js';
import type { Doc } from '../../types.js';
import { formatShell } from './shell-format.js';
import type { IndexSpec } from './spec.js';

/** Index error codes mongod uses that the shared `ErrorCode` table does not list (yet). */
export const IndexErrorCode = {
  CannotCreateIndex: 67,
  CannotIndexParallelArrays: 171,
  AmbiguousIndexKeyPattern: 181,
  InvalidIndexSpecificationOption: 197,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(IndexErrorCode).map(([k, v]) => [v, k]));

/**
 * A MongoCommandError whose codeName is right even for codes missing from the shared table:
 * drivers show codeName and some applications branch on it.
 */
export class IndexError extends MongoCommandError {
  override get codeName(): string {
    return NAMES[this.code] ?? super.codeName;
  }
}

/** mongod prefixes spec validation failures with the offending specification. */
export function specError(code: number, spec: unknown, reason: string): IndexError {
  return new IndexError(code, `Error in specification ${formatShell(spec)} :: caused by :: ${reason}`);
}

/**
 * The E11000 error exactly as mongod words it; mongoose and applications parse the message and
 * read `keyPattern` / `keyValue` (e.g. to tell which field was duplicated).
 * @param ns "db.collection"
 * @param spec the unique index that was violated
 * @param keyValue the duplicated key, field by field, e.g. `{ email: 'a@b.c' }`
 */
export function duplicateKeyError(ns: string, spec: Pick<IndexSpec, 'name' | 'key'>, keyValue: Doc): MongoCommandError {
  const message = `E11000 duplicate key error collection: ${ns} index: ${spec.name} dup key: ${formatShell(keyValue)}`;
  return new MongoCommandError(ErrorCode.DuplicateKey, message, { keyPattern: { ...spec.key }, keyValue });
}

/** mongod refuses compound keys over two arrays: the entry count would be their product. */
export function parallelArraysError(first: string, second: string): IndexError {
  return new IndexError(IndexErrorCode.CannotIndexParallelArrays, `cannot index parallel arrays [${second}] [${first}]`);
}
