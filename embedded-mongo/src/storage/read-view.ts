import type { Transaction } from '../txn/transaction.js';
import type { Doc } from '../types.js';
import type { Collection } from './collection.js';

/** What a reader sees: the committed state, or a transaction's snapshot plus its own writes. */
export interface ReadView {
  readonly txn?: Transaction;
  get(coll: Collection, idKey: string): Doc | undefined;
  /** Documents that may match `filter` (callers re-check the filter), with the plan used. */
  candidates(coll: Collection, filter: Doc): { entries: Iterable<[string, Doc]>; plan: string; keysExamined: number };
}

export const committedView: ReadView = {
  get: (coll, idKey) => coll.get(idKey),
  candidates: (coll, filter) => coll.candidates(filter),
};

/** The view of a transaction: own writes, else the version its snapshot saw, else committed. */
export function transactionView(txn: Transaction): ReadView {
  const get = (coll: Collection, idKey: string): Doc | undefined => {
    const own = txn.ownWrite(coll.ns, idKey);
    if (own !== undefined) return own ?? undefined;
    const preserved = txn.snapshotVersion(coll.ns, idKey);
    if (preserved !== undefined) return preserved ?? undefined;
    return coll.get(idKey);
  };
  return {
    txn,
    get,
    candidates(coll, filter) {
      const committed = coll.candidates(filter);
      const overlay = txn.overlay(coll);
      if (!overlay) return committed;
      // Chosen now, not while iterating: the overridden set is the one of this moment.
      const overridden = overlay.candidates(filter) ?? txn.overriddenKeys(coll.ns);
      return { ...committed, entries: mergeOverrides(coll, committed.entries, txn, overridden, get) };
    },
  };
}

/**
 * Committed candidates minus the overridden documents, then the visible versions of the
 * overridden candidates (in override order). With an index plan, the overridden candidates come
 * from the transaction's indexed overlay: the cost follows the matches, not the transaction size.
 */
function* mergeOverrides(
  coll: Collection,
  committed: Iterable<[string, Doc]>,
  txn: Transaction,
  overridden: string[],
  get: (coll: Collection, idKey: string) => Doc | undefined,
): Generator<[string, Doc]> {
  for (const entry of committed) {
    if (!txn.overrides(coll.ns, entry[0])) yield entry;
  }
  for (const idKey of overridden) {
    const doc = get(coll, idKey);
    if (doc) yield [idKey, doc];
  }
}
