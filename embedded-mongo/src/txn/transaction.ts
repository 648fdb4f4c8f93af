import type { Collection } from '../storage/collection.js';
import { TxnOverlay } from '../storage/txn-overlay.js';
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
  /**
   * Per namespace, the overridden documents indexed like the collection (built on first use,
   * then kept in step by recordWrite/preserve), so reads and unique checks need no scan of the
   * writes buffered so far.
   */
  private readonly overlays = new Map<string, TxnOverlay>();

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
    const ns = `${write.db}.${write.coll}`;
    const doc = write.op === 'delete' ? null : write.doc!;
    slot(this.writes, ns).set(write.idKey, doc);
    this.pending.push(write);
    this.overlays.get(ns)?.written(write.idKey, doc);
  }

  /** Remembers the pre-change version the first time another writer changes a document. */
  preserve(ns: string, idKey: string, before: Doc | undefined): void {
    const m = slot(this.snapshotVersions, ns);
    if (m.has(idKey)) return;
    m.set(idKey, before ?? null);
    const own = this.ownWrite(ns, idKey);
    this.overlays.get(ns)?.preserved(idKey, own !== undefined ? own : (before ?? null));
  }

  /** Whether the visible version of a document differs from the committed one (own write or preserved). */
  overrides(ns: string, idKey: string): boolean {
    return (this.writes.get(ns)?.has(idKey) ?? false) || (this.snapshotVersions.get(ns)?.has(idKey) ?? false);
  }

  /** Overridden idKeys in override order: preserved ones first, then own writes, each by first occurrence. */
  overriddenKeys(ns: string): string[] {
    const preserved = this.snapshotVersions.get(ns);
    const keys = [...(preserved?.keys() ?? [])];
    for (const k of this.writes.get(ns)?.keys() ?? []) if (!preserved?.has(k)) keys.push(k);
    return keys;
  }

  /**
   * The indexed overlay of `coll`, or undefined when nothing in it is overridden. Rebuilt (once)
   * when the collection was recreated or its indexes changed since the overlay was built.
   */
  overlay(coll: Collection): TxnOverlay | undefined {
    const ns = coll.ns;
    const writes = this.writes.get(ns);
    const preserved = this.snapshotVersions.get(ns);
    if (!writes?.size && !preserved?.size) return undefined;
    const existing = this.overlays.get(ns);
    if (existing?.mirrors(coll)) return existing;
    const overlay = new TxnOverlay(coll);
    for (const [k, before] of preserved ?? []) {
      const own = writes?.get(k);
      overlay.preserved(k, own !== undefined ? own : before);
    }
    for (const [k, doc] of writes ?? []) if (!preserved?.has(k)) overlay.written(k, doc);
    this.overlays.set(ns, overlay);
    return overlay;
  }

  /** Frees the overlays once the transaction ended (the session keeps the object until its next one). */
  releaseOverlays(): void {
    this.overlays.clear();
  }
}
