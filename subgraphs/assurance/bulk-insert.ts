/** Documents per `insertMany`: a large world goes in slices so no single command grows unbounded. */
const CHUNK_SIZE = 1000;
const DUPLICATE_KEY = 11000;

/** What bulk seeding needs from a mongoose model. */
interface BulkInsertable {
  validate(doc: object): Promise<unknown>;
  insertMany(docs: object[], options: { ordered: boolean; lean: boolean }): Promise<unknown>;
}

function writeErrorCodes(err: unknown): number[] {
  const writeErrors = (err as { writeErrors?: unknown } | null)?.writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.map((e: { code?: number; err?: { code?: number } }) => e.code ?? e.err?.code ?? -1);
}

/**
 * Inserts complete documents (defaults and timestamps filled in by the caller) in unordered,
 * lean chunks: hydrating every document costs about a millisecond each, far too slow for a large
 * world. One document per chunk is still validated so a mapping mistake fails the seed loudly.
 * Documents already stored (duplicate key) are kept, so seeding a persistent database twice is
 * harmless; any other write error throws.
 */
export async function insertChunked(model: BulkInsertable, docs: readonly object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK_SIZE) {
    const chunk = docs.slice(i, i + CHUNK_SIZE);
    await model.validate(chunk[0]);
    try {
      await model.insertMany(chunk, { ordered: false, lean: true });
    } catch (err) {
      const codes = writeErrorCodes(err);
      if (codes.length === 0 || codes.some((c) => c !== DUPLICATE_KEY)) throw err;
    }
  }
}
