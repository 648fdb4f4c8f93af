import { valueKey } from '../bson/value-key.js';
import { compileFilter } from '../query/filter.js';
import { indexValues } from '../query/paths.js';
import type { Doc } from '../types.js';
import { CollectionIndexes } from './indexes/collection-indexes.js';

/** The idKey of a document: the map key of the primary store, equal for mongod-equal `_id`s. */
export function idKeyOf(doc: Doc): string {
  const key = valueKey(doc._id);
  // Concatenated keys are V8 "cons strings" (two pointers + parts); a numeric coercion
  // flattens them, which halves the memory of the primary map at 10^6 documents.
  void ((key as unknown as number) | 0);
  return key;
}

/**
 * The committed state of one collection: documents by idKey (insertion order = natural order)
 * and their indexes. Documents are immutable once stored; writers swap whole objects.
 * Only the engine's commit path calls the mutating methods, so indexes never drift.
 */
export class Collection {
  readonly docs = new Map<string, Doc>();
  readonly indexes: CollectionIndexes;

  constructor(
    readonly db: string,
    readonly name: string,
    readonly options: Doc = {},
  ) {
    this.indexes = new CollectionIndexes(`${db}.${name}`, { indexValues, compileFilter });
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get(idKey: string): Doc | undefined {
    return this.docs.get(idKey);
  }

  putCommitted(idKey: string, doc: Doc): void {
    const before = this.docs.get(idKey);
    if (before) this.indexes.replace(idKey, before, doc);
    else this.indexes.add(idKey, doc);
    this.docs.set(idKey, doc);
  }

  deleteCommitted(idKey: string): void {
    const before = this.docs.get(idKey);
    if (!before) return;
    this.indexes.remove(idKey, before);
    this.docs.delete(idKey);
  }

  /** Committed documents that may match `filter`: an index's candidates, or every document. */
  candidates(filter: Doc): { entries: Iterable<[string, Doc]>; plan: string; keysExamined: number } {
    // One index key costs a B-tree descent, a scanned document a cheap test: past an eighth of
    // the collection (huge $in lists of topology walks) the scan wins.
    const plan = this.indexes.plan(filter, { maxKeys: Math.max(64, this.docs.size / 8) });
    if (!plan) return { entries: this.docs.entries(), plan: 'COLLSCAN', keysExamined: 0 };
    return { entries: this.resolve(plan.idKeys), plan: `IXSCAN ${plan.indexName}`, keysExamined: plan.keysExamined };
  }

  private *resolve(idKeys: Iterable<string>): Generator<[string, Doc]> {
    for (const k of idKeys) {
      const doc = this.docs.get(k);
      if (doc) yield [k, doc];
    }
  }
}
