/**
 * Keeps one `$in` list well under MongoDB's 16 MB command limit: ~20k ids of ~30 bytes is
 * ~600 kB. Walks with larger frontiers issue one query per chunk (still not one per resource).
 */
export const MAX_IN_IDS = 20_000;

/**
 * Results of a big walk come back in one batch: the default first batch (101 documents) would
 * cost an extra getMore round trip per query. The server still caps a batch at 16 MB.
 */
export const WALK_BATCH_SIZE = 100_000;

/** Runs `query` over `ids` in chunks of at most MAX_IN_IDS and concatenates the results. */
export async function inChunks<T>(ids: string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length <= MAX_IN_IDS) return ids.length ? query(ids) : [];
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_IN_IDS) chunks.push(ids.slice(i, i + MAX_IN_IDS));
  return (await Promise.all(chunks.map(query))).flat();
}

/** Appends `value` to the list stored under `key`. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Every node reachable from `start` along `edges` (breadth-first, nearest first), `start`
 * included, each once — cycles in recorded data cannot loop.
 */
export function reachable(start: Iterable<string>, edges: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set<string>(start);
  const order = [...seen];
  for (let i = 0; i < order.length; i++) {
    for (const next of edges.get(order[i]) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        order.push(next);
      }
    }
  }
  return order;
}
