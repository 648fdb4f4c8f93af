import type { TopologyNode, TopologySource } from './inventory-source.js';

interface Entry {
  category: string;
  /** reliesOn ∪ bundledIn: a fault of any of them can explain a fault here. */
  parents: string[];
}

/**
 * Assurance's in-memory copy of the resource topology (id → category and parents, where parents
 * = `reliesOn` ∪ `bundledIn`), read through inventory's API: correlating an alarm storm must not
 * cost a round trip per alarm. Loaded whole on first use (lazily: the subgraph may start, and
 * answer queries, while inventory is down) and completed on a miss: `ensure` fetches resources
 * it does not know, with whatever they hang off. Resources do not change their edges through any
 * API today, so nothing else invalidates it; `load()` re-reads everything when needed.
 *
 * One per running assurance subgraph (see runtime.ts); resolvers reach it as `ctx.topology`.
 */
export class TopologyReplica {
  private entries = new Map<string, Entry>();
  private children = new Map<string, string[]>();
  /** Memoised `ancestors`: a storm asks the same few chains thousands of times. */
  private ancestorCache = new Map<string, string[]>();
  private loaded = false;
  private loading: Promise<void> | undefined;

  constructor(private readonly source: TopologySource) {}

  /** Whether the replica knows the resource (call `ensure` first to learn about new ones). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The resource's category (`FIBRE_LINK`, `ONT`…); undefined when unknown. */
  category(id: string): string | undefined {
    return this.entries.get(id)?.category;
  }

  /** What is directly above the resource: `reliesOn` then `bundledIn`. */
  parents(id: string): string[] {
    return this.entries.get(id)?.parents ?? [];
  }

  /**
   * Everything above the resource (its upstream closure), nearest first, each once, never the
   * resource itself (even through a cycle in recorded data); [] when unknown. The result is
   * shared: do not modify it.
   */
  ancestors(id: string): string[] {
    let found = this.ancestorCache.get(id);
    if (!found) {
      found = this.walk(id, (n) => this.parents(n));
      this.ancestorCache.set(id, found);
    }
    return found;
  }

  /** Everything below the resource (what relies on it or is bundled in it, transitively), nearest first, each once. */
  descendants(id: string): string[] {
    return this.walk(id, (n) => this.children.get(n) ?? []);
  }

  /** Whether the resource has anything below it. */
  hasDescendants(id: string): boolean {
    return (this.children.get(id)?.length ?? 0) > 0;
  }

  /**
   * Makes sure the replica knows these resources: loads the whole topology on first use, then
   * fetches the ones it does not know (and the unknown resources above them). Resolves with the
   * ids inventory does not know either. Throws SUBGRAPH_UNAVAILABLE when inventory cannot answer.
   */
  async ensure(ids: readonly string[]): Promise<string[]> {
    if (!this.loaded) await this.load();
    let missing = [...new Set(ids)].filter((id) => !this.entries.has(id));
    if (!missing.length) return [];
    const asked = new Set(missing);
    // A new resource may hang off other new ones: follow its parents until everything is known.
    while (missing.length) {
      const nodes = await this.source.some(missing);
      for (const node of nodes) this.add(node);
      missing = [...new Set(nodes.flatMap((n) => this.entries.get(n.id)!.parents))].filter((p) => !this.entries.has(p) && !asked.has(p));
      for (const p of missing) asked.add(p);
    }
    this.ancestorCache.clear();
    return [...new Set(ids)].filter((id) => !this.entries.has(id));
  }

  /** (Re)reads the whole topology; concurrent callers share one read. */
  load(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const nodes = await this.source.all();
        this.entries = new Map();
        this.children = new Map();
        for (const node of nodes) this.add(node);
        this.ancestorCache = new Map();
        this.loaded = true;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** How many resources the replica knows. */
  get size(): number {
    return this.entries.size;
  }

  private add(node: TopologyNode): void {
    const parents = [...new Set([...node.reliesOn, ...(node.bundledIn ? [node.bundledIn] : [])])];
    this.entries.set(node.id, { category: node.category, parents });
    for (const p of parents) {
      const list = this.children.get(p);
      if (list) list.push(node.id);
      else this.children.set(p, [node.id]);
    }
  }

  /** Breadth-first closure from `start` along `next`, excluding `start`. */
  private walk(start: string, next: (id: string) => readonly string[]): string[] {
    const seen = new Set([start]);
    const out: string[] = [];
    let frontier = [start];
    while (frontier.length) {
      const level: string[] = [];
      for (const id of frontier) {
        for (const n of next(id)) {
          if (seen.has(n)) continue;
          seen.add(n);
          level.push(n);
        }
      }
      out.push(...level);
      frontier = level;
    }
    return out;
  }
}
