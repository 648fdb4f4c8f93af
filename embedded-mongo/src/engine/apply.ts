import { valueKey } from '../bson/value-key.js';
import type { OplogEntry } from '../changes/oplog.js';
import type { Catalog } from '../storage/catalog.js';
import type { IndexSpec } from '../storage/indexes/collection-indexes.js';
import type { Doc } from '../types.js';

/**
 * Applies one oplog entry to the committed state. The same function serves live commits and
 * journal replay after a restart, so both reach the identical state.
 */
export function applyEntry(catalog: Catalog, entry: OplogEntry): void {
  const coll = entry.coll ?? '';
  switch (entry.op) {
    case 'insert':
    case 'update':
    case 'replace':
      catalog.ensure(entry.db, coll).collection.putCommitted(valueKey(entry.documentKey!._id), entry.doc!);
      return;
    case 'delete':
      catalog.get(entry.db, coll)?.deleteCommitted(valueKey(entry.documentKey!._id));
      return;
    case 'create':
      catalog.ensure(entry.db, coll, (entry.payload?.options as Doc) ?? {});
      return;
    case 'drop':
      catalog.drop(entry.db, coll);
      return;
    case 'dropDatabase':
      catalog.dropDatabase(entry.db);
      return;
    case 'createIndexes': {
      const collection = catalog.ensure(entry.db, coll).collection;
      collection.indexes.create(entry.payload!.spec as IndexSpec, collection.docs.entries());
      return;
    }
    case 'dropIndexes':
      catalog.get(entry.db, coll)?.indexes.drop(entry.payload!.name as string);
      return;
    default: {
      const unreachable: never = entry.op;
      throw new Error(`unknown oplog op ${String(unreachable)}`);
    }
  }
}
