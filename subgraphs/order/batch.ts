/**
 * Helpers that put a batch query's results back in DataLoader key order: DataLoader requires
 * one result per key, at the key's position.
 */

/** One document (or null) per key, matched on `_id`. */
export function oneByIdInKeyOrder<T extends { _id: string }>(keys: readonly string[], docs: T[]): (T | null)[] {
  const byId = new Map(docs.map((d) => [d._id, d]));
  return keys.map((k) => byId.get(k) ?? null);
}

/** Every document per key (`[]` for misses), keeping the order the query returned them in. */
export function manyInKeyOrder<T>(keys: readonly string[], docs: T[], keyOf: (doc: T) => string | null | undefined): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const doc of docs) {
    const key = keyOf(doc);
    if (key != null) groups.get(key)?.push(doc);
  }
  return keys.map((k) => groups.get(k) ?? []);
}
