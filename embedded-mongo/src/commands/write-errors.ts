import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';

/**
 * Turns a failed statement into a `writeErrors` entry. Write conflicts and transaction errors
 * are not per-document problems: they fail the whole command so drivers can retry it.
 */
export function toWriteError(err: unknown, index: number, inTransaction: boolean): Doc {
  if (!(err instanceof MongoCommandError)) throw err;
  if (inTransaction && err.code !== ErrorCode.DuplicateKey) throw err;
  if (err.code === ErrorCode.WriteConflict || err.errorLabels.length) throw err;
  return { index, code: err.code, codeName: err.codeName, errmsg: err.message, ...err.extra };
}

/** Runs statements in order; ordered writes stop at the first error, unordered go on. */
export async function runStatements<T>(
  items: T[],
  ordered: boolean,
  inTransaction: boolean,
  run: (item: T, index: number) => Promise<void>,
): Promise<Doc[]> {
  const writeErrors: Doc[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      await run(items[i], i);
    } catch (err) {
      writeErrors.push(toWriteError(err, i, inTransaction));
      if (ordered || inTransaction) break;
    }
  }
  return writeErrors;
}

export function writeReply(reply: Doc, writeErrors: Doc[]): Doc {
  if (writeErrors.length) reply.writeErrors = writeErrors;
  return { ...reply, ok: 1 };
}
