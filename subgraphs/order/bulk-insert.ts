const CHUNK_SIZE = 1000;
const DUPLICATE_KEY = 11000;

/** The one model method seeding needs (a mongoose Model has it). */
interface BulkInsertable {
  insertMany(docs: object[], options: { ordered: false; lean: true }): Promise<unknown>;
}

interface WriteErrorLike {
  code?: number;
  errmsg?: string;
}

/**
 * A duplicate `_id` means the document is stored already; a duplicate of any other unique key is
 * a data error. The driver's bulk write errors drop `keyPattern`, so the index is read from
 * mongod's message (`E11000 duplicate key error collection: db.c index: _id_ dup key: …`).
 */
const isAlreadyStored = (e: WriteErrorLike) => e.code === DUPLICATE_KEY && / index: _id_ dup key/.test(e.errmsg ?? '');

function onlyAlreadyStored(err: unknown): boolean {
  const writeErrors = (err as { writeErrors?: WriteErrorLike[] }).writeErrors;
  return Array.isArray(writeErrors) && writeErrors.length > 0 && writeErrors.every(isAlreadyStored);
}

/**
 * Inserts `docs` in unordered chunks of 1000. Documents whose `_id` already exists are skipped,
 * so seeding twice is harmless; any other failure (e.g. a clash on another unique key) throws
 * instead of silently dropping data.
 *
 * `lean`: no mongoose hydration, casting, defaults or validation — they cost ~7× the insert
 * itself, which matters for the large world. Callers pass complete documents typed as the
 * model's raw document type, so the compiler does that checking instead.
 */
export async function insertMissing(model: BulkInsertable, docs: object[]): Promise<void> {
  for (let i = 0; i < docs.length; i += CHUNK_SIZE) {
    try {
      await model.insertMany(docs.slice(i, i + CHUNK_SIZE), { ordered: false, lean: true });
    } catch (err) {
      if (!onlyAlreadyStored(err)) throw err;
    }
  }
}
