import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';

/**
 * Resume tokens are `{ _data: <hex> }` like mongod's; the hex holds the oplog sequence number
 * and whether the event was an invalidate (startAfter may resume after one, resumeAfter not).
 */
export function encodeToken(seq: number, invalidate = false): Doc {
  return { _data: `82${seq.toString(16).padStart(16, '0')}${invalidate ? '01' : '00'}` };
}

export function decodeToken(token: unknown): { seq: number; invalidate: boolean } {
  const data = (token as Doc | null)?._data;
  if (typeof data !== 'string' || !/^82[0-9a-f]{16}0[01]$/.test(data)) {
    throw new MongoCommandError(ErrorCode.BadValue, 'Invalid resume token: not a token produced by this server');
  }
  return { seq: Number.parseInt(data.slice(2, 18), 16), invalidate: data.endsWith('01') };
}
