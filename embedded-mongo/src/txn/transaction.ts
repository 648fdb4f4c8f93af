import type { Doc } from '../types.js';

/** One buffered write of a transaction, applied to the committed state in order at commit. */
export interface PendingWrite {
  op: 'insert' | 'update' | 'replace' | 'delete';
  db: string;
  coll: string;
  idKey: string;
  documentKey: Doc;
  doc?: Doc;
  updateDescription?: Doc;
}

type NsMap = Map<string, Map<string, Doc | null>>;

function slot(map: NsMap, ns: string): Map<string, Doc | null> {
  let m = map.get(ns);
  if (!m) map.set(ns, (m = new Map()));
  return m;
}

/**
 * A multi-document transaction under snapshot isolation. Its own writes are buffered in
 * `writes` (null = deleted) and applied atomically at commit. When somebody else commits a
 * change to a document after this transaction started, the version this transaction's
 * snapshot saw is kept in `snapshotVersions` (null = did not exist), so reads stay repeatable
 * and a later write to that document is a write conflict.
 */
export class Transaction {
  readonly writes: NsMap = new Map();
  readonly snapshotVersions: NsMap = new Map();
  readonly pending: PendingWrite[] = [];
  readonly startedAt = Date.now();
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** Set when the transaction was aborted by the server (timeout, conflict at commit). */
  abortReason?: string;

  constructor(
    readonly sessionKey: string,
    readonly txnNumber: number,
    readonly lsid: Doc,
  ) {}

  ownWrite(ns: string, idKey: string): Doc | null | undefined {
    return this.writes.get(ns)?.get(idKey);
  }

  snapshotVersion(ns: string, idKey: string): Doc | null | undefined {
    return this.snapshotVersions.get(ns)?.get(idKey);
  }

  changedSinceSnapshot(ns: string, idKey: string): boolean {
    return this.snapshotVersions.get(ns)?.has(idKey) ?? false;
  }

  recordWrite(write: PendingWrite): void {
    slot(this.writes, `${write.db}.${write.coll}`).set(write.idKey, write.op === 'delete' ? null : write.doc!);
    this.pending.push(write);
  }

  /** Remembers the pre-change version the first time another writer changes a document. */
  preserve(ns: string, idKey: string, before: Doc | undefined): void {
    const m = slot(this.snapshotVersions, ns);
    if (!m.has(idKey)) m.set(idKey, before ?? null);
  }

  /** idKeys whose visible version differs from the committed one (own writes or preserved). */
  overriddenKeys(ns: string): Set<string> {
    const keys = new Set<string>(this.snapshotVersions.get(ns)?.keys() ?? []);
    for (const k of this.writes.get(ns)?.keys() ?? []) keys.add(k);
    return keys;
  }
}
