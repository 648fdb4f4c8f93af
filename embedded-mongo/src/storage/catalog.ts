import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { Collection } from './collection.js';

const INVALID_DB_CHARS = /[/\\. "$\0]/;

/** Validates a database name the way mongod does (no empty names, no path characters). */
export function assertDbName(db: unknown): asserts db is string {
  if (typeof db !== 'string' || db.length === 0 || db.length > 63 || INVALID_DB_CHARS.test(db)) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid database name: '${String(db)}'`);
  }
}

/** Validates a collection name (non-empty, no `$`, no NUL, not `system.` unless internal). */
export function assertCollName(db: string, coll: unknown): asserts coll is string {
  if (typeof coll !== 'string' || coll.length === 0 || coll.includes('$') || coll.includes('\0') || coll.startsWith('.')) {
    throw new MongoCommandError(ErrorCode.InvalidNamespace, `Invalid collection name: ${db}.${String(coll)}`);
  }
}

/** Databases and their collections. Databases exist only while they hold a collection. */
export class Catalog {
  private readonly dbs = new Map<string, Map<string, Collection>>();

  get(db: string, coll: string): Collection | undefined {
    return this.dbs.get(db)?.get(coll);
  }

  /** Creates the collection (no journal/oplog: callers do that). Returns the existing one if any. */
  ensure(db: string, coll: string, options: Doc = {}): { collection: Collection; created: boolean } {
    let colls = this.dbs.get(db);
    if (!colls) this.dbs.set(db, (colls = new Map()));
    const existing = colls.get(coll);
    if (existing) return { collection: existing, created: false };
    const collection = new Collection(db, coll, options);
    colls.set(coll, collection);
    return { collection, created: true };
  }

  drop(db: string, coll: string): boolean {
    const colls = this.dbs.get(db);
    const removed = colls?.delete(coll) ?? false;
    if (colls && colls.size === 0) this.dbs.delete(db);
    return removed;
  }

  dropDatabase(db: string): boolean {
    return this.dbs.delete(db);
  }

  databases(): string[] {
    return [...this.dbs.keys()].sort();
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  all(): Collection[] {
    return [...this.dbs.values()].flatMap((colls) => [...colls.values()]);
  }
}
