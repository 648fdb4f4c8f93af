/** Documents per `insertMany`: large worlds go in slices so no single command grows unbounded. */
const CHUNK_SIZE = 1000;

const DUPLICATE_KEY = 11000;

interface WriteError {
  code?: number;
  err?: { code?: number };
}

interface BulkWriteFailure {
  writeErrors?: WriteError[] | WriteError;
}

/** The two capabilities this helper needs from a mongoose model. */
interface InsertsMany {
  validate(doc: object): Promise<unknown>;
  insertMany(docs: object[], options: { ordered: boolean; lean: boolean }): Promise<unknown>;
}

/** True when every failed write of an unordered insert was a duplicate `_id` (document already seeded). */
function onlyDuplicates(err: unknown): boolean {
  const writeErrors = (err as BulkWriteFailure | null)?.writeErrors;
  if (!writeErrors) return false;
  const list = Array.isArray(writeErrors) ? writeErrors : [writeErrors];
  return list.length > 0 && list.every((e) => (e.code ?? e.err?.code) === DUPLICATE_KEY);
}

/**
 * Bulk-inserts complete documents (defaults and timestamps included) in unordered chunks.
 * Hydrating every document through mongoose costs ~1 ms each (12 s for 12k customers), so
 * chunks go in `lean`; the first document of each chunk is still validated against the schema
 * so a mapping mistake fails the seed loudly instead of storing bad data.
 * Documents already present (same `_id`) are kept, so seeding a persistent database twice is
 * harmless; any other failure throws. Returns how many documents were offered.
 */
export async function insertChunked(model: InsertsMany, docs: readonly object[]): Promise<number> {
  for (let i = 0; i < docs.length; i += CHUNK_SIZE) {
    const chunk = docs.slice(i, i + CHUNK_SIZE);
    await model.validate(chunk[0]);
    try {
      await model.insertMany(chunk, { ordered: false, lean: true });
    } catch (err) {
      if (!onlyDuplicates(err)) throw err;
    }
  }
  return docs.length;
}
