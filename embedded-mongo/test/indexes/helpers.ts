import { Query } from 'mingo';
import { valueKey } from '../../src/bson/value-key.js';
import { CollectionIndexes, type IndexSpec } from '../../src/storage/indexes/collection-indexes.js';
import type { IndexDeps } from '../../src/storage/indexes/spec.js';
import type { Doc } from '../../src/types.js';

const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/**
 * A local stand-in for query/paths.ts: the values an index on `path` stores, with mongod's
 * array expansion (one value per element, arrays of sub-documents traversed, elements lacking
 * the path contributing null) and `{ values: [null], missing: true }` when nothing is there.
 */
export function indexValues(doc: Doc, path: string): { values: unknown[]; missing: boolean } {
  const values: unknown[] = [];
  const found = collect(doc, path.split('.'), 0, values);
  if (!found) return { values: [null], missing: true };
  const seen = new Set<string>();
  return { values: values.filter((v) => !seen.has(valueKey(v)) && !!seen.add(valueKey(v))), missing: false };
}

function collect(value: unknown, parts: string[], i: number, out: unknown[]): boolean {
  if (i === parts.length) {
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
    return true;
  }
  if (Array.isArray(value)) {
    let any = false;
    for (const el of value) any = collect(el, parts, i, out) || any;
    return any;
  }
  if (!isObject(value) || !(parts[i] in value)) {
    out.push(null);
    return false;
  }
  return collect(value[parts[i]], parts, i + 1, out);
}

/** mingo is the reference MongoDB matcher here (the real query engine is built over it too). */
export function compileFilter(filter: Doc): (doc: Doc) => boolean {
  const query = new Query(filter);
  return (doc) => query.test(doc);
}

export const deps: IndexDeps = { indexValues, compileFilter };

export const idKeyOf = (doc: Doc): string => valueKey(doc._id);

/** A tiny collection: the map the real collection keeps, plus its indexes, updated in the right order. */
export class TestCollection {
  readonly docs = new Map<string, Doc>();
  readonly indexes: CollectionIndexes;

  constructor(
    ns = 'test.users',
    private readonly using: IndexDeps = deps,
  ) {
    this.indexes = new CollectionIndexes(ns, using);
  }

  createIndex(key: IndexSpec['key'], options: Partial<IndexSpec> = {}): boolean {
    const name = options.name ?? Object.entries(key).map(([k, v]) => `${k}_${v}`).join('_');
    return this.indexes.create({ key, name, ...options } as IndexSpec, this.docs.entries());
  }

  insert(doc: Doc): void {
    const idKey = idKeyOf(doc);
    if (this.docs.has(idKey)) throw new Error(`duplicate _id ${idKey}`);
    this.indexes.assertUnique(doc, idKey);
    this.indexes.add(idKey, doc);
    this.docs.set(idKey, doc);
  }

  update(doc: Doc): void {
    const idKey = idKeyOf(doc);
    const before = this.docs.get(idKey);
    if (!before) throw new Error(`no document ${idKey}`);
    this.indexes.assertUnique(doc, idKey);
    this.indexes.replace(idKey, before, doc);
    this.docs.set(idKey, doc);
  }

  delete(id: unknown): void {
    const idKey = valueKey(id);
    const before = this.docs.get(idKey);
    if (!before) return;
    this.indexes.remove(idKey, before);
    this.docs.delete(idKey);
  }

  /** Brute force: the idKeys whose documents match `filter`. */
  scan(filter: Doc): string[] {
    const test = this.using.compileFilter(filter);
    return [...this.docs].filter(([, d]) => test(d)).map(([k]) => k).sort();
  }

  /** What a planned query returns: the plan's candidates re-checked with the full filter. */
  query(filter: Doc): { ids: string[]; plan: ReturnType<CollectionIndexes['plan']> } {
    const plan = this.indexes.plan(filter);
    if (!plan) return { ids: this.scan(filter), plan };
    const test = this.using.compileFilter(filter);
    const ids = [...new Set(plan.idKeys)].filter((k) => this.docs.has(k) && test(this.docs.get(k)!));
    return { ids: ids.sort(), plan };
  }
}

/** Candidate idKeys of a plan, sorted, for exact comparisons. */
export const candidates = (plan: { idKeys: Iterable<string> } | null): string[] | null => (plan ? [...plan.idKeys].sort() : null);

/** Runs `fn` and returns the MongoCommandError-like error it throws. */
export function thrown(fn: () => unknown): { code: number; codeName: string; message: string; extra: Doc } {
  try {
    fn();
  } catch (err) {
    return err as { code: number; codeName: string; message: string; extra: Doc };
  }
  throw new Error('expected an error');
}

export const ids = (...values: unknown[]): string[] => values.map((v) => valueKey(v)).sort();
