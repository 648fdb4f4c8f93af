/**
 * Keeps one `$in` list well under MongoDB's 16 MB command limit: ~20k ids of ~30 bytes is
 * ~600 kB. Walks with larger frontiers issue one query per chunk (still not one per resource).
 */
export const MAX_IN_IDS = 20_000;

/** Runs `query` once per chunk of at most MAX_IN_IDS of `ids` (none for no ids): one result per chunk. */
export async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T>): Promise<T[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_IN_IDS) chunks.push(ids.slice(i, i + MAX_IN_IDS));
  return Promise.all(chunks.map(query));
}

/** Appends `value` to the list stored under `key`. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Every node reachable from `start` along `edges`, breadth-first: `start` first, then each
 * distance in turn, ids ascending within a distance (so the order never depends on the order
 * the database returned rows in); each node once, so cycles in recorded data cannot loop.
 */
export function reachable(start: Iterable<string>, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set<string>(start);
  const order = [...seen];
  for (let level = order; level.length; ) {
    const next: string[] = [];
    for (const id of level) {
      for (const dependent of edges.get(id) ?? []) {
        if (!seen.has(dependent)) {
          seen.add(dependent);
          next.push(dependent);
        }
      }
    }
    for (const id of next.sort()) order.push(id); // no spread: levels can exceed the argument limit
    level = next;
  }
  return order;
}
