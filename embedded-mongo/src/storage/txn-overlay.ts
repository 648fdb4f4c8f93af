import type { Doc } from '../types.js';
import type { Collection } from './collection.js';
import { keyValueOf } from './indexes/index-keys.js';
import type { IndexTree } from './indexes/index-tree.js';
import type { KeyTuple } from './indexes/key-order.js';
import { planFilter } from './indexes/planner.js';
import type { IndexSpec } from './indexes/spec.js';
import { collideOn, sharedKeyValue } from './unique.js';

/**
 * Override order puts every preserved key before every key first overridden by an own write
 * (that is the order reads have always returned overridden documents in), so written keys
 * rank from here up. 2^40 preserved keys are far beyond any transaction.
 */
const WRITTEN_RANK_BASE = 2 ** 40;

/** A unique-index collision: the index and the key value E11000 reports. */
export interface UniqueClash {
  spec: IndexSpec;
  keyValue: Doc;
}

/**
 * The documents a transaction sees in place of the committed ones for one collection — its own
 * writes, else the versions its snapshot kept when others committed — indexed with the
 * collection's own index definitions. Maintained incrementally as the transaction writes and
 * others commit, so a query or a unique-key check inside a transaction costs O(log k) in the
 * k overridden documents instead of a scan of all of them per operation (which made batches
 * quadratic).
 */
export class TxnOverlay {
  /** The collection's spec objects when built: stale once an index is created or dropped. */
  private readonly specs: readonly IndexSpec[];
  /**
   * Parallel to specs. An entry becomes undefined when some document cannot be keyed for that
   * index (171, parallel arrays, e.g. under an index created after the write was buffered):
   * such an index is no longer planned on, and unique checks on it fall back to a scan.
   */
  private readonly trees: Array<IndexTree | undefined>;
  /** Visible version of every overridden idKey that exists (deleted ones are absent). */
  private readonly docs = new Map<string, Doc>();
  /** Every overridden idKey (deleted ones too) → position in override order. */
  private readonly rank = new Map<string, number>();
  private preservedCount = 0;
  private writtenCount = 0;

  constructor(readonly coll: Collection) {
    this.specs = coll.indexes.specs();
    this.trees = coll.indexes.emptyTrees();
  }

  /** False when the collection was replaced (drop + create) or its index set changed. */
  mirrors(coll: Collection): boolean {
    if (coll !== this.coll) return false;
    const current = coll.indexes.specs();
    return current.length === this.specs.length && current.every((spec, i) => spec === this.specs[i]);
  }

  /** Another writer committed a change to `idKey`: it now ranks among preserved keys. */
  preserved(idKey: string, visible: Doc | null): void {
    this.rank.set(idKey, this.preservedCount++);
    this.show(idKey, visible);
  }

  /** The transaction wrote `idKey` (null = deleted); its first override fixes its rank. */
  written(idKey: string, visible: Doc | null): void {
    if (!this.rank.has(idKey)) this.rank.set(idKey, WRITTEN_RANK_BASE + this.writtenCount++);
    this.show(idKey, visible);
  }

  /**
   * Overridden idKeys that may hold documents matching `filter` (a superset: callers re-check),
   * in override order; null when no index narrows it down (the caller visits every override).
   */
  candidates(filter: Doc): string[] | null {
    const trees = this.trees.filter((t): t is IndexTree => t !== undefined);
    // Same trade-off as the committed collection: past an eighth of the documents a scan wins.
    const plan = planFilter(trees, filter, Math.max(64, this.docs.size / 8));
    if (!plan) return null;
    return [...new Set(plan.idKeys)].sort((a, b) => this.rank.get(a)! - this.rank.get(b)!);
  }

  /**
   * The first collision of `doc` (to be stored under `idKey`) with a visible overridden document
   * that `counts` accepts, on a unique index other than `_id_` (equal `_id`s are equal idKeys,
   * caught before). Indexes in listIndexes order, then `doc`'s keys in index-key order; the
   * reported keyValue is the value actually shared, also for a multikey field.
   */
  uniqueClash(doc: Doc, idKey: string, counts: (idKey: string) => boolean): UniqueClash | undefined {
    for (let i = 0; i < this.specs.length; i++) {
      const spec = this.specs[i];
      if (!spec.unique || spec.name === '_id_') continue;
      const tree = this.trees[i];
      const clash = tree ? this.clashInTree(tree, doc, idKey, counts) : this.clashByScan(spec, doc, idKey, counts);
      if (clash) return clash;
    }
    return undefined;
  }

  private clashInTree(tree: IndexTree, doc: Doc, idKey: string, counts: (idKey: string) => boolean): UniqueClash | undefined {
    for (const key of tree.keysOf(doc, idKey) ?? []) {
      if (tree.idsWithValues(key, idKey).some(counts)) return { spec: tree.spec, keyValue: keyValueOf(tree.fields, key) };
    }
    return undefined;
  }

  /** Only for an index some overridden document could not be keyed for (see `trees`). */
  private clashByScan(spec: IndexSpec, doc: Doc, idKey: string, counts: (idKey: string) => boolean): UniqueClash | undefined {
    for (const [other, visible] of this.docs) {
      if (other !== idKey && counts(other) && collideOn(spec, doc, visible)) return { spec, keyValue: sharedKeyValue(spec, doc, visible) };
    }
    return undefined;
  }

  /** Makes `doc` the visible version of `idKey` (null: nothing visible), re-keying only what changed. */
  private show(idKey: string, doc: Doc | null): void {
    const before = this.docs.get(idKey);
    if (before === doc || (before === undefined && doc === null)) return;
    if (doc) this.docs.set(idKey, doc);
    else this.docs.delete(idKey);
    for (let i = 0; i < this.trees.length; i++) {
      const tree = this.trees[i];
      // As in CollectionIndexes.replace: untouched key fields mean unchanged entries.
      if (!tree || (before && doc && tree.roots.every((f) => Object.is(before[f], doc[f])))) continue;
      const prev = before ? this.keysOf(i, tree, before, idKey) : null;
      const next = doc ? this.keysOf(i, tree, doc, idKey) : null;
      if (!this.trees[i]) continue;
      tree.delete(prev);
      tree.insert(next);
    }
  }

  /** A document's entries in tree i; on failure the tree is retired instead of throwing (see `trees`). */
  private keysOf(i: number, tree: IndexTree, doc: Doc, idKey: string): KeyTuple[] | null {
    try {
      return tree.keysOf(doc, idKey);
    } catch {
      // Never throw from here: callers are a write already validated, or another transaction's commit.
      this.trees[i] = undefined;
      return null;
    }
  }
}
