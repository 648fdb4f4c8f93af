/**
 * Puts a batch query's results back in DataLoader key order: DataLoader requires one result per
 * key, at the key's position.
 */

/** One document (or null) per key, matched on `_id`. */
export function oneByIdInKeyOrder<T extends { _id: string }>(keys: readonly string[], docs: T[]): (T | null)[] {
  const byId = new Map(docs.map((d) => [d._id, d]));
  return keys.map((k) => byId.get(k) ?? null);
}
