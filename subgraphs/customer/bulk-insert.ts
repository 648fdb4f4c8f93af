import type { Model } from 'mongoose';

/** Documents per `insertMany`: large worlds go in slices so no single command grows unbounded. */
const CHUNK_SIZE = 1000;

const DUPLICATE_KEY = 11000;

interface BulkWriteFailure {
  writeErrors?: { code?: number; err?: { code?: number } }[] | { code?: number };
}

/** True when every failed write of an unordered insert was a duplicate `_id` (document already seeded). */
function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as BulkWriteFailure | null)?.writeErrors;
  if (!writeErrors) return false;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return list.length > 0 && list.every((e) => (e.code ?? e.err?.code) === DUPLICATE_KEY);
}

/**
 * Bulk-inserts `docs` in chunks, unordered. Documents already present (same `_id`) are kept as
 * they are, so seeding a persistent database twice is harmless; any other failure throws.
 * Returns how many documents were offered.
 */
export async function insertChunked<T>(model: Model<T>, docs: readonly object[]): Promise<number> {
  for (let i = 0; i < docs.length; i += CHUNK_SIZE) {
    try {
      await model.insertMany(docs.slice(i, i + CHUNK_SIZE), { ordered: false });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
  }
  return docs.length;
}
