/** Documents per `insertMany`: a large world goes in slices so no single command grows unbounded. */
const CHUNK_SIZE = 1000;
const DUPLICATE_KEY = 11000;

/** What bulk seeding needs from a mongoose model. */
export interface BulkInsertable {
  validate(doc: object): Promise<unknown>;
  insertMany(docs: object[], options: { ordered: false; lean: true }): Promise<unknown>;
}

/** Which failed writes of a re-run seed mean "this document is stored already". */
export type AlreadyStored =
  /** Only a clash on `_id`; a clash on any other unique index is a data error and throws. */
  | 'duplicate-id'
  /** Any duplicate-key error, whichever unique index reported it. */
  | 'duplicate-key';

/** How a subgraph's seed wants its documents inserted. */
export interface BulkInsertOptions {
  /**
   * Validate the first document of every chunk against the schema, so a mapping mistake fails
   * the seed loudly. Without it nothing is checked at run time: the caller types its documents
   * as the model's raw document type and the compiler does the checking instead.
   */
  validateFirstOfChunk: boolean;
  skip: AlreadyStored;
}

interface WriteErrorLike {
  code?: number;
  errmsg?: string;
  err?: { code?: number; errmsg?: string };
}

/** The write errors of a failed unordered insert (the driver reports an array; tolerate a lone one). */
function writeErrorsOf(err: unknown): WriteErrorLike[] {
  const writeErrors = (err as { writeErrors?: WriteErrorLike[] | WriteErrorLike } | null)?.writeErrors;
  if (!writeErrors) return [];
  return Array.isArray(writeErrors) ? writeErrors : [writeErrors];
}

const isDuplicateKey = (e: WriteErrorLike) => (e.code ?? e.err?.code) === DUPLICATE_KEY;

/**
 * The driver's bulk write errors drop `keyPattern`, so the index is read from mongod's message
 * (`E11000 duplicate key error collection: db.c index: _id_ dup key: …`).
 */
const isDuplicateId = (e: WriteErrorLike) => isDuplicateKey(e) && / index: _id_ dup key/.test(e.errmsg ?? e.err?.errmsg ?? '');

/** True when every failed write of an unordered insert hit a document already stored (as `skip` defines it). */
export function onlyAlreadyStored(err: unknown, skip: AlreadyStored): boolean {
  const errors = writeErrorsOf(err);
  return errors.length > 0 && errors.every(skip === 'duplicate-id' ? isDuplicateId : isDuplicateKey);
}

/**
 * Inserts complete documents (defaults and timestamps filled in by the caller) in unordered,
 * `lean` chunks of 1000: hydrating, casting and validating every document through mongoose
 * costs about a millisecond each (~7× the insert itself), far too slow for a large world.
 * Documents already stored (as `options.skip` defines it) are kept, so seeding a persistent
 * database twice is harmless; any other write error throws instead of silently dropping data.
 * Returns how many documents were offered.
 */
export async function insertChunked(model: BulkInsertable, docs: readonly object[], options: BulkInsertOptions): Promise<number> {
  for (let i = 0; i < docs.length; i += CHUNK_SIZE) {
    const chunk = docs.slice(i, i + CHUNK_SIZE);
    if (options.validateFirstOfChunk) await model.validate(chunk[0]);
    try {
      await model.insertMany(chunk, { ordered: false, lean: true });
    } catch (err) {
      if (!onlyAlreadyStored(err, options.skip)) throw err;
    }
  }
  return docs.length;
}
