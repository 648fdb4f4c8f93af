import { valueKey } from '../../bson/value-key.js';
import type { Doc } from '../../types.js';
import { alreadyExists, resolveIndexName } from './catalog-rules.js';
import { duplicateKeyError } from './index-errors.js';
import { keyValueOf } from './index-keys.js';
import { IndexTree } from './index-tree.js';
import type { KeyTuple } from './key-order.js';
import { planOrder, type OrderedScan } from './order.js';
import { planFilter, type Plan } from './planner.js';
import { idIndexSpec, normalizeSpec, type IndexDeps, type IndexSpec } from './spec.js';

export type { IndexDeps, IndexSpec } from './spec.js';
export type { Plan } from './planner.js';
export type { OrderedScan } from './order.js';
export { duplicateKeyError } from './index-errors.js';

let indexesCreated = 0;
/**
 * How many indexes were created so far in this process: a transaction that saw no creation
 * since it began had every buffered write checked against the indexes it commits into.
 */
export const indexCreations = (): number => indexesCreated;

/** One unique-index collision candidate: `idKeys` hold `keyValue` in the index `spec`. */
export interface UniqueConflict {
  spec: IndexSpec;
  keyValue: Doc;
  idKeys: string[];
}

/**
 * The indexes of one collection: `_id_` plus secondary B+tree indexes, kept in step with the
 * collection's `Map<idKey, Doc>` through add/remove/replace. Writers must call add/replace
 * before changing the map: they validate every index first (171 parallel arrays) and only then
 * modify, so a throw leaves indexes and map untouched.
 */
export class CollectionIndexes {
  /** `_id_` first, then creation order (the listIndexes order). */
  private readonly trees: IndexTree[];
  /** An index built by wouldCreate(), adopted by create() if no write happened in between. */
  private prepared: { spec: IndexSpec; tree: IndexTree } | undefined;

  constructor(
    readonly ns: string,
    private readonly deps: IndexDeps,
  ) {
    this.trees = [new IndexTree(freeze(idIndexSpec()), deps)];
  }

  /** Specs as listIndexes returns them: `{ v, key, name, ...options }`, `_id_` first. Copies. */
  list(): IndexSpec[] {
    return this.trees.map(({ spec }) => ({ ...spec, key: { ...spec.key } }));
  }

  /**
   * Builds a new index over `docs`. False when an identical index exists (mongod's no-op).
   * Throws 85/86 for name or option conflicts, 11000 for duplicates among `docs` in a unique
   * index, 171 for parallel arrays, 238 for unsupported index types, 67/9/14/197 for bad specs.
   */
  create(spec: IndexSpec, docs: Iterable<[string, Doc]>): boolean {
    const requested = normalizeSpec(spec, this.deps);
    if (alreadyExists(this.specs(), requested)) return false;
    const prepared = this.prepared;
    this.prepared = undefined;
    const reuse = prepared && sameSpec(prepared.spec, requested);
    this.trees.push(reuse ? prepared.tree : this.build(requested, docs));
    indexesCreated += 1;
    return true;
  }

  /**
   * Everything create() checks, without registering the index: lets a command validate before
   * journaling. The build is kept and reused by the next create() of the same spec unless a
   * document changes in between. Returns false when an identical index already exists.
   */
  wouldCreate(spec: IndexSpec, docs: Iterable<[string, Doc]>): boolean {
    const requested = normalizeSpec(spec, this.deps);
    if (alreadyExists(this.specs(), requested)) return false;
    this.prepared = { spec: requested, tree: this.build(requested, docs) };
    return true;
  }

  /** Drops by name or key pattern; `'*'` drops all but `_id_`. 27 / 72 / 181 like mongod. */
  drop(nameOrKey: string | Doc): void {
    this.prepared = undefined;
    if (nameOrKey === '*') {
      this.trees.splice(1);
      return;
    }
    const name = resolveIndexName(this.specs(), nameOrKey);
    this.trees.splice(this.trees.findIndex((t) => t.spec.name === name), 1);
  }

  /** The index name dropIndexes would remove for `nameOrKey`, throwing drop()'s errors. */
  resolveName(nameOrKey: string | Doc): string {
    return resolveIndexName(this.specs(), nameOrKey);
  }

  /**
   * For every unique index holding `doc` (sparse/partial honoured; missing counts as null),
   * the other idKeys with the same key, one entry per colliding key value (a multikey doc can
   * collide on several). `_id_` is not consulted: equal `_id`s mean equal idKeys, which the
   * collection's map detects. Throws 171 for parallel arrays. O(u · log n) for u unique indexes.
   */
  uniqueConflicts(doc: Doc, idKey: string): UniqueConflict[] {
    const out: UniqueConflict[] = [];
    for (const tree of this.trees) {
      if (!tree.spec.unique) continue;
      for (const key of tree.keysOf(doc, idKey) ?? []) {
        const idKeys = tree.idsWithValues(key, idKey);
        if (idKeys.length) out.push({ spec: tree.spec, keyValue: keyValueOf(tree.fields, key), idKeys });
      }
    }
    return out;
  }

  /**
   * Throws 171 when an index cannot key `doc` (parallel arrays, which only a compound index can
   * meet); changes nothing. Transactions buffer their writes and index them only at commit, so
   * they check here, at the write, as mongod refuses the statement itself.
   */
  assertKeyable(doc: Doc, idKey: string): void {
    for (const tree of this.trees) if (tree.fields.length > 1) tree.keysOf(doc, idKey);
  }

  /** Whether some index other than `_id_` is unique: only then can a write collide beyond its `_id`. */
  hasUniqueSecondary(): boolean {
    return this.trees.some((t, i) => i > 0 && !!t.spec.unique);
  }

  /** Throws mongod's E11000 error for the first collision uniqueConflicts() reports. */
  assertUnique(doc: Doc, idKey: string): void {
    const [conflict] = this.uniqueConflicts(doc, idKey);
    if (conflict) throw duplicateKeyError(this.ns, conflict.spec, conflict.keyValue);
  }

  /** Indexes a new document. Does not check uniqueness (call assertUnique/uniqueConflicts first). */
  add(idKey: string, doc: Doc): void {
    const keys = this.trees.map((t) => t.keysOf(doc, idKey)); // may throw: nothing changed yet
    this.trees.forEach((t, i) => t.insert(keys[i]));
    this.prepared = undefined;
  }

  /** Unindexes a document; `doc` must be the version that was indexed. */
  remove(idKey: string, doc: Doc): void {
    for (const t of this.trees) t.delete(t.keysOf(doc, idKey));
    this.prepared = undefined;
  }

  /**
   * Moves a document from `before` to `after`. Indexes whose key fields (and partial-filter
   * fields) are the same objects in both versions are skipped without computing keys, so an
   * update touching unindexed fields costs O(indexes).
   */
  replace(idKey: string, before: Doc, after: Doc): void {
    const changes: Array<[IndexTree, KeyTuple[] | null, KeyTuple[] | null]> = [];
    for (const t of this.trees) {
      if (t.roots.every((f) => Object.is(before[f], after[f]))) continue;
      const next = t.keysOf(after, idKey); // may throw: nothing changed yet
      const prev = t.keysOf(before, idKey);
      if (!t.sameKeys(prev, next)) changes.push([t, prev, next]);
    }
    for (const [t, prev, next] of changes) {
      t.delete(prev);
      t.insert(next);
    }
    this.prepared = undefined;
  }

  /**
   * Candidate idKeys for `filter` from the index examining the fewest keys, or null for a
   * collection scan. Candidates are a superset: re-check each with the full filter (and skip
   * idKeys no longer in the map). `maxKeys` makes plans examining more keys than that return
   * null (e.g. pass the collection size: a wider scan is no cheaper than a collection scan).
   */
  plan(filter: Doc, options: { maxKeys?: number } = {}): Plan | null {
    return planFilter(this.trees, filter, options.maxKeys ?? Number.POSITIVE_INFINITY);
  }

  /**
   * Sort pushdown: idKeys in `sort` order from an index, lazily, for documents that may match
   * `filter` (re-check each). Safe to consume while writes continue (it reads a snapshot).
   */
  scanOrder(sort: Doc, filter: Doc = {}): OrderedScan | null {
    return planOrder(this.trees, sort, filter);
  }

  /** TTL indexes for the expiry monitor: delete docs whose `path` date is older than now − seconds. */
  ttl(): Array<{ name: string; path: string; expireAfterSeconds: number }> {
    return this.trees
      .filter((t) => typeof t.spec.expireAfterSeconds === 'number')
      .map((t) => ({ name: t.spec.name, path: t.fields[0], expireAfterSeconds: t.spec.expireAfterSeconds as number }));
  }

  /** Entry counts per index name (multikey documents count once per entry), for collStats. */
  entryCounts(): Record<string, number> {
    return Object.fromEntries(this.trees.map((t) => [t.spec.name, t.size]));
  }

  /** Empties every index but keeps the definitions (drop collection, rebuild). */
  clear(): void {
    for (const t of this.trees) t.clear();
    this.prepared = undefined;
  }

  /**
   * The stored (frozen) specs, `_id_` first. The same objects until an index is created or
   * dropped, so comparing them by identity tells whether a mirror of these indexes is stale.
   */
  specs(): IndexSpec[] {
    return this.trees.map((t) => t.spec);
  }

  /**
   * Empty trees for the current specs (parallel to specs()), deriving keys exactly as these
   * indexes do: a transaction indexes its buffered writes in them without touching these.
   */
  emptyTrees(): IndexTree[] {
    return this.trees.map((t) => new IndexTree(t.spec, this.deps));
  }

  private build(spec: IndexSpec, docs: Iterable<[string, Doc]>): IndexTree {
    const tree = new IndexTree(freeze(spec), this.deps);
    const duplicate = tree.load(docs, !!spec.unique);
    if (duplicate) throw duplicateKeyError(this.ns, spec, keyValueOf(tree.fields, duplicate));
    return tree;
  }
}

/** Stored specs are shared with callers (uniqueConflicts), so they are made read-only. */
function freeze(spec: IndexSpec): IndexSpec {
  Object.freeze(spec.key);
  return Object.freeze(spec);
}

const sameSpec = (a: IndexSpec, b: IndexSpec): boolean => valueKey(a) === valueKey(b);
