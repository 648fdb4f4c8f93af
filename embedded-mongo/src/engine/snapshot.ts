import type { OplogEntry } from '../changes/oplog.js';
import type { Oplog } from '../changes/oplog.js';
import type { Catalog } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import type { IndexSpec } from '../storage/indexes/collection-indexes.js';
import type { Doc } from '../types.js';
import { applyEntry } from './apply.js';

const CHUNK = 500;

/**
 * The full state as a list of records: collections with their options and index specs,
 * documents in chunks, and the retained oplog (so change streams resume across restarts).
 * Built synchronously from immutable documents, so it is a consistent point-in-time image even
 * while later writes proceed.
 */
export function takeSnapshot(catalog: Catalog, oplog: Oplog): Doc[] {
  const records: Doc[] = [{ t: 'meta', seq: oplog.lastSeq, ts: oplog.currentTime }];
  for (const coll of catalog.all()) {
    const indexes = coll.indexes.list().filter((spec) => spec.name !== '_id_');
    records.push({ t: 'coll', db: coll.db, c: coll.name, options: coll.options, indexes });
    let chunk: Doc[] = [];
    for (const doc of coll.docs.values()) {
      chunk.push(doc);
      if (chunk.length === CHUNK) {
        records.push({ t: 'docs', db: coll.db, c: coll.name, docs: chunk });
        chunk = [];
      }
    }
    if (chunk.length) records.push({ t: 'docs', db: coll.db, c: coll.name, docs: chunk });
  }
  const retained = oplog.retained();
  for (let i = 0; i < retained.length; i += CHUNK) {
    records.push({ t: 'oplog', entries: retained.slice(i, i + CHUNK) });
  }
  return records;
}

/**
 * Rebuilds catalog and oplog from a snapshot's records. Documents are loaded first and the
 * secondary indexes built afterwards in one sorted bulk load, about twice as fast as inserting
 * into live indexes.
 */
export function restoreSnapshot(records: Iterable<Doc>, catalog: Catalog, oplog: Oplog): void {
  const pendingIndexes: Array<[Collection, IndexSpec[]]> = [];
  for (const rec of records) {
    switch (rec.t) {
      case 'meta':
        oplog.lastSeq = rec.seq as number;
        break;
      case 'coll': {
        const { collection } = catalog.ensure(rec.db as string, rec.c as string, rec.options as Doc);
        pendingIndexes.push([collection, rec.indexes as IndexSpec[]]);
        break;
      }
      case 'docs': {
        const collection = catalog.ensure(rec.db as string, rec.c as string).collection;
        for (const doc of rec.docs as Doc[]) applyEntry(catalog, { op: 'insert', db: collection.db, coll: collection.name, documentKey: { _id: doc._id }, doc } as unknown as OplogEntry);
        break;
      }
      case 'oplog':
        for (const entry of rec.entries as OplogEntry[]) oplog.append(entry);
        break;
      default:
        throw new Error(`unknown snapshot record type ${String(rec.t)}`);
    }
  }
  for (const [collection, specs] of pendingIndexes) {
    for (const spec of specs) collection.indexes.create(spec, collection.docs.entries());
  }
}
