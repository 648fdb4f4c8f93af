import { notImplemented } from '../errors.js';
import { compileFilter } from '../query/filter.js';
import { applyUpdate, upsertSeed } from '../query/update.js';
import type { Collection } from '../storage/collection.js';
import { idKeyOf } from '../storage/collection.js';
import { deleteDocument, insertDocument, replaceDocument, waitForLock, type WriteContext } from '../storage/writes.js';
import type { Doc } from '../types.js';
import { collectionArg, docList, rejectCollation, requiredDoc } from './args.js';
import { ErrorCode, MongoCommandError } from '../errors.js';
import type { CommandHandler, Exec } from './context.js';
import { matchingDocs } from './query-exec.js';
import { runStatements, writeReply } from './write-errors.js';

async function targetCollection(exec: Exec, name: string): Promise<Collection> {
  return exec.server.engine.ensureCollection(exec.db, name);
}

/** Awaits journaling of everything the command committed before the client is told. */
async function settle(ctx: WriteContext): Promise<void> {
  await Promise.all(ctx.durable);
}

const insert: CommandHandler = async (cmd, exec) => {
  const coll = await targetCollection(exec, collectionArg(cmd, 'insert', exec.db));
  const docs = docList(cmd, 'documents', 'insert');
  const ctx = exec.newWriteContext();
  let n = 0;
  const writeErrors = await runStatements(docs, cmd.ordered !== false, !!exec.txn, async (doc) => {
    await insertDocument(ctx, coll, doc);
    n++;
  });
  await settle(ctx);
  return writeReply({ n }, writeErrors);
};

export interface UpdateStatement {
  q: Doc;
  u: Doc | Doc[];
  upsert?: boolean;
  multi?: boolean;
  arrayFilters?: Doc[];
  collation?: Doc;
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  /** The last document written (post-image), for findAndModify. */
  after?: Doc;
  before?: Doc;
}

/**
 * Applies one update statement. Each matched document is re-read after waiting for any
 * transaction lock on it, and re-checked against the filter, so a concurrent transaction's
 * commit is never overwritten with a stale version.
 */
export async function runUpdate(ctx: WriteContext, coll: Collection, st: UpdateStatement, sort?: Doc): Promise<UpdateOutcome> {
  if (st.multi && !Array.isArray(st.u) && !Object.keys(st.u).some((k) => k.startsWith('$'))) {
    throw notImplemented('multi: true with a replacement document');
  }
  const test = compileFilter(st.q);
  const targets = matchingDocs(ctx.view, coll, st.q, sort, st.multi ? undefined : 1);
  const outcome: UpdateOutcome = { matched: 0, modified: 0 };
  for (const target of targets) {
    const idKey = idKeyOf(target);
    await waitForLock(ctx, coll, idKey);
    const current = ctx.view.get(coll, idKey);
    if (!current || !test(current)) continue;
    const { doc, modified } = applyUpdate(current, st.u, { arrayFilters: st.arrayFilters, query: st.q });
    outcome.matched++;
    outcome.before = current;
    outcome.after = doc;
    if (!modified) continue;
    replaceDocument(ctx, coll, current, doc, isReplacement(st.u) ? 'replace' : 'update');
    outcome.modified++;
  }
  if (outcome.matched === 0 && st.upsert) return upsert(ctx, coll, st);
  return outcome;
}

const isReplacement = (u: Doc | Doc[]): boolean => !Array.isArray(u) && !Object.keys(u).some((k) => k.startsWith('$'));

async function upsert(ctx: WriteContext, coll: Collection, st: UpdateStatement): Promise<UpdateOutcome> {
  const seed = upsertSeed(st.q);
  const { doc } = applyUpdate(seed, st.u, { arrayFilters: st.arrayFilters, isUpsertInsert: true, query: st.q });
  const stored = await insertDocument(ctx, coll, isReplacement(st.u) && seed._id !== undefined && doc._id === undefined ? { _id: seed._id, ...doc } : doc);
  return { matched: 0, modified: 0, upsertedId: stored._id, after: stored };
}

function updateStatement(st: Doc): UpdateStatement {
  rejectCollation(st);
  const u = st.u;
  if (!Array.isArray(u)) requiredDoc(st, 'u', 'update.updates');
  if (st.arrayFilters !== undefined && !Array.isArray(st.arrayFilters)) requiredDoc(st, 'arrayFilters', 'update.updates');
  return { ...(st as unknown as UpdateStatement), q: requiredDoc(st, 'q', 'update.updates') };
}

function deleteStatement(st: Doc): { q: Doc; limit: number } {
  rejectCollation(st);
  const limit = st.limit ?? 0;
  if (limit !== 0 && limit !== 1) {
    throw new MongoCommandError(ErrorCode.FailedToParse, `The limit field in delete objects must be 0 or 1. Got ${String(limit)}`);
  }
  return { q: requiredDoc(st, 'q', 'delete.deletes'), limit };
}

const update: CommandHandler = async (cmd, exec) => {
  const coll = await targetCollection(exec, collectionArg(cmd, 'update', exec.db));
  const statements = docList(cmd, 'updates', 'update').map(updateStatement);
  const ctx = exec.newWriteContext();
  let n = 0;
  let nModified = 0;
  const upserted: Doc[] = [];
  const writeErrors = await runStatements(statements, cmd.ordered !== false, !!exec.txn, async (st, index) => {
    const r = await runUpdate(ctx, coll, st);
    n += r.matched;
    nModified += r.modified;
    if (r.upsertedId !== undefined) {
      n++;
      upserted.push({ index, _id: r.upsertedId });
    }
  });
  await settle(ctx);
  return writeReply(upserted.length ? { n, nModified, upserted } : { n, nModified }, writeErrors);
};

/** Deletes up to `limit` (0 = all) matching documents; returns how many. */
export async function runDelete(ctx: WriteContext, coll: Collection, filter: Doc, limit: number, sort?: Doc): Promise<Doc[]> {
  const test = compileFilter(filter);
  const deleted: Doc[] = [];
  for (const target of matchingDocs(ctx.view, coll, filter, sort, limit || undefined)) {
    if (limit && deleted.length >= limit) break;
    const idKey = idKeyOf(target);
    await waitForLock(ctx, coll, idKey);
    const current = ctx.view.get(coll, idKey);
    if (!current || !test(current)) continue;
    deleteDocument(ctx, coll, current);
    deleted.push(current);
  }
  return deleted;
}

const del: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, 'delete', exec.db);
  const coll = exec.server.engine.catalog.get(exec.db, name);
  const statements = docList(cmd, 'deletes', 'delete').map(deleteStatement);
  const ctx = exec.newWriteContext();
  let n = 0;
  const writeErrors = await runStatements(statements, cmd.ordered !== false, !!exec.txn, async (st) => {
    if (!coll) return;
    n += (await runDelete(ctx, coll, st.q, st.limit)).length;
  });
  await settle(ctx);
  return writeReply({ n }, writeErrors);
};

export const WRITE_COMMANDS: Record<string, CommandHandler> = { insert, update, delete: del };
