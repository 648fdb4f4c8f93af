import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Transaction } from '../txn/transaction.js';
import type { Doc } from '../types.js';

const SESSION_TIMEOUT_MS = 30 * 60 * 1000;

/** Server-side state of one logical session (lsid). */
export interface SessionState {
  key: string;
  lsid: Doc;
  lastUse: number;
  /** Highest txnNumber seen: a retryable write or a transaction. */
  txnNumber: number;
  txn?: Transaction;
  /** Reply of the retryable write with `txnNumber`, answered again on retry. */
  retryReply?: Doc;
}

/** A stable key for an lsid: its UUID bytes (plus the user hash when present). */
export function sessionKeyOf(lsid: Doc): string {
  const id = lsid.id as { buffer?: Uint8Array; toString(enc?: string): string } | undefined;
  if (!id || typeof id !== 'object') throw new MongoCommandError(ErrorCode.BadValue, 'lsid.id must be a UUID');
  const bytes = id.buffer ? Buffer.from(id.buffer).toString('hex') : String(id);
  return bytes + (lsid.uid ? `:${String(lsid.uid)}` : '');
}

export class SessionStore {
  private readonly sessions = new Map<string, SessionState>();

  touch(lsid: Doc): SessionState {
    const key = sessionKeyOf(lsid);
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { key, lsid, lastUse: Date.now(), txnNumber: -1 }));
    s.lastUse = Date.now();
    return s;
  }

  get(key: string): SessionState | undefined {
    return this.sessions.get(key);
  }

  end(key: string): SessionState | undefined {
    const s = this.sessions.get(key);
    this.sessions.delete(key);
    return s;
  }

  /** Sessions idle past the logical session timeout (their transactions get aborted). */
  expired(now = Date.now()): SessionState[] {
    return [...this.sessions.values()].filter((s) => now - s.lastUse > SESSION_TIMEOUT_MS);
  }
}
