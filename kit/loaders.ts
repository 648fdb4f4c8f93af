/**
 * Batch helpers for DataLoaders over MongoDB: DataLoader requires one result per key, at the
 * key's position, and every extra `getMore` is one more database command per request.
 */
import DataLoader from 'dataloader';

/**
 * `batchSize` for a query whose result count is known (a page, one document per id): the batch
 * comes back in ONE reply, where the server's default first batch (101 documents) would need a
 * getMore. `+ 1` lets the server see the end of the results inside the batch and close the
 * cursor instead of leaving it open for a getMore.
 */
export const wholeBatch = (expectedDocs: number) => expectedDocs + 1;

/**
 * `batchSize` for a batch query whose result count has no natural bound (every child of many
 * parents): large enough that the documents still come in the first reply.
 */
export const ONE_ROUND_TRIP = 100_000;

/** One document (or null) per key, matched on `_id`. */
export function oneByIdInKeyOrder<T extends { _id: string }>(keys: readonly string[], docs: readonly T[]): (T | null)[] {
  const byId = new Map(docs.map((d) => [d._id, d]));
  return keys.map((k) => byId.get(k) ?? null);
}

/** Every document per key (`[]` for misses), keeping the order the query returned them in. */
export function manyInKeyOrder<T>(keys: readonly string[], docs: readonly T[], keyOf: (doc: T) => string | null | undefined): T[][] {
  const groups = new Map<string, T[]>(keys.map((k) => [k, []]));
  for (const doc of docs) {
    const key = keyOf(doc);
    if (key != null) groups.get(key)?.push(doc);
  }
  return keys.map((k) => groups.get(k) ?? []);
}

/** Splits items into groups by a string key, keeping their order within each group. */
export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * `find({ _id: { $in: ids } })` as a DataLoader: `find` runs once per batch with a copy of the
 * keys; results come back in key order, `null` for misses.
 */
export function byIdLoader<T extends { _id: string }>(find: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => oneByIdInKeyOrder(ids, await find([...ids])));
}
