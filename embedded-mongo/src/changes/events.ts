import { valueKey } from '../bson/value-key.js';
import type { Catalog } from '../storage/catalog.js';
import type { Doc } from '../types.js';
import type { OplogEntry } from './oplog.js';
import { encodeToken } from './resume-token.js';

export type FullDocumentMode = 'default' | 'updateLookup' | 'whenAvailable' | 'required';

/** Where a change stream listens: one collection, one database, or the whole deployment. */
export interface StreamScope {
  db?: string;
  coll?: string;
  showExpandedEvents: boolean;
}

const CRUD = new Set(['insert', 'update', 'replace', 'delete']);
const EXPANDED = new Set(['create', 'createIndexes', 'dropIndexes']);

export function inScope(scope: StreamScope, entry: OplogEntry): boolean {
  if (scope.db !== undefined && entry.db !== scope.db) return false;
  if (scope.coll !== undefined && entry.op !== 'dropDatabase' && entry.coll !== scope.coll) return false;
  if (EXPANDED.has(entry.op)) return scope.showExpandedEvents;
  return true;
}

/** True when this entry ends the stream (mongod sends an `invalidate` event after it). */
export function invalidates(scope: StreamScope, entry: OplogEntry): boolean {
  if (scope.coll !== undefined) return entry.op === 'drop' || entry.op === 'dropDatabase';
  if (scope.db !== undefined) return entry.op === 'dropDatabase';
  return false;
}

/** Builds the change event document mongod would send for an oplog entry. */
export function toEvent(entry: OplogEntry, mode: FullDocumentMode, catalog: Catalog): Doc {
  const event: Doc = {
    _id: encodeToken(entry.seq),
    operationType: entry.op,
    clusterTime: entry.ts,
    wallTime: entry.wall,
    ns: entry.coll !== undefined && entry.op !== 'dropDatabase' ? { db: entry.db, coll: entry.coll } : { db: entry.db },
  };
  if (CRUD.has(entry.op)) {
    event.documentKey = entry.documentKey;
    const full = fullDocument(entry, mode, catalog);
    if (full !== undefined) event.fullDocument = full;
    if (entry.op === 'update') event.updateDescription = entry.updateDescription ?? { updatedFields: {}, removedFields: [], truncatedArrays: [] };
  }
  if (entry.txnNumber !== undefined) {
    event.lsid = entry.lsid;
    event.txnNumber = entry.txnNumber;
  }
  return event;
}

function fullDocument(entry: OplogEntry, mode: FullDocumentMode, catalog: Catalog): Doc | null | undefined {
  if (entry.op === 'insert' || entry.op === 'replace') return entry.doc;
  if (entry.op !== 'update') return undefined;
  if (mode === 'updateLookup') {
    return catalog.get(entry.db, entry.coll!)?.get(valueKey(entry.documentKey!._id)) ?? null;
  }
  if (mode === 'whenAvailable' || mode === 'required') return entry.doc ?? null;
  return undefined;
}

export function invalidateEvent(entry: OplogEntry): Doc {
  return { _id: encodeToken(entry.seq, true), operationType: 'invalidate', clusterTime: entry.ts, wallTime: entry.wall };
}
