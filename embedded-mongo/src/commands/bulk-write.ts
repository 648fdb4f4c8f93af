import { Long } from 'bson';
import { ErrorCode, MongoCommandError } from '../errors.js';
import { assertCollName, assertDbName } from '../storage/catalog.js';
import type { Collection } from '../storage/collection.js';
import { insertDocument, type WriteContext } from '../storage/writes.js';
import type { Doc } from '../types.js';
import { docList, optionalDoc, rejectCollation, requiredDoc } from './args.js';
import type { CommandHandler, Exec } from './context.js';
import { runDelete, runUpdate } from './write.js';
import { toWriteError } from './write-errors.js';

/**
 * MongoDB 8.0's `bulkWrite` (sent to `admin`): inserts, updates and deletes on any number of
 * collections in ONE command — drivers' `MongoClient.bulkWrite`. Inside a transaction this is
 * what lets a multi-collection change be one write round trip plus the commit.
 *
 * Each op names its collection by index into `nsInfo` (`{ ns: 'db.coll' }`). The reply is a
 * cursor of per-op results (`{ ok, idx, n, nModified?, upserted? }`, only the failed ones with
 * `errorsOnly`), all in the first batch, with the totals beside it.
 */

type Op =
  | { kind: 'insert'; ns: number; document: Doc }
  | { kind: 'update'; ns: number; filter: Doc; updateMods: Doc | Doc[]; multi: boolean; upsert: boolean; arrayFilters?: Doc[]; sort?: Doc }
  | { kind: 'delete'; ns: number; filter: Doc; multi: boolean };

interface Totals {
  nInserted: number;
  nMatched: number;
  nModified: number;
  nUpserted: number;
  nDeleted: number;
}

const failedToParse = (msg: string) => new MongoCommandError(ErrorCode.FailedToParse, msg);

function parseOp(op: Doc, index: number, namespaces: number): Op {
  const where = `bulkWrite.ops.${index}`;
  const kinds = (['insert', 'update', 'delete'] as const).filter((k) => k in op);
  if (kinds.length !== 1) throw failedToParse(`${where}: an op names exactly one of insert, update or delete`);
  const kind = kinds[0];
  const ns = op[kind];
  if (typeof ns !== 'number' || !Number.isInteger(ns) || ns < 0 || ns >= namespaces) {
    throw new MongoCommandError(ErrorCode.BadValue, `${where}: '${kind}' must be an index into nsInfo (0…${namespaces - 1}), got ${String(ns)}`);
  }
  rejectCollation(op);
  if (kind === 'insert') return { kind, ns, document: requiredDoc(op, 'document', where) };
  const filter = requiredDoc(op, 'filter', where);
  const multi = op.multi === true;
  if (kind === 'delete') return { kind, ns, filter, multi };
  const updateMods = op.updateMods;
  if (!Array.isArray(updateMods)) requiredDoc(op, 'updateMods', where);
  if (op.arrayFilters !== undefined && !Array.isArray(op.arrayFilters)) throw failedToParse(`${where}.arrayFilters must be an array`);
  const sort = optionalDoc(op, 'sort', where);
  if (sort && multi) throw failedToParse(`${where}: sort is only allowed for a single-document update`);
  return { kind, ns, filter, updateMods: updateMods as Doc | Doc[], multi, upsert: op.upsert === true, arrayFilters: op.arrayFilters as Doc[] | undefined, sort };
}

function parseNamespace(info: Doc, index: number): { db: string; coll: string } {
  const ns = info.ns;
  const dot = typeof ns === 'string' ? ns.indexOf('.') : -1;
  if (typeof ns !== 'string' || dot < 1) throw new MongoCommandError(ErrorCode.InvalidNamespace, `bulkWrite.nsInfo.${index}.ns: '${String(ns)}' is not a 'database.collection' namespace`);
  const [db, coll] = [ns.slice(0, dot), ns.slice(dot + 1)];
  assertDbName(db);
  assertCollName(db, coll);
  return { db, coll };
}

/** Runs one op; returns its result entry (without ok/idx) and adds to the totals. */
async function runOp(exec: Exec, ctx: WriteContext, op: Op, namespaces: { db: string; coll: string }[], totals: Totals): Promise<Doc> {
  const { db, coll } = namespaces[op.ns];
  if (op.kind === 'delete') {
    const existing = exec.server.engine.catalog.get(db, coll);
    const n = existing ? (await runDelete(ctx, existing, op.filter, op.multi ? 0 : 1)).length : 0;
    totals.nDeleted += n;
    return { n };
  }
  const target: Collection = await exec.server.engine.ensureCollection(db, coll);
  if (op.kind === 'insert') {
    await insertDocument(ctx, target, op.document);
    totals.nInserted += 1;
    return { n: 1 };
  }
  const r = await runUpdate(ctx, target, { q: op.filter, u: op.updateMods, multi: op.multi, upsert: op.upsert, arrayFilters: op.arrayFilters }, op.sort);
  totals.nMatched += r.matched;
  totals.nModified += r.modified;
  if (r.upsertedId === undefined) return { n: r.matched, nModified: r.modified };
  totals.nUpserted += 1;
  return { n: 1, nModified: 0, upserted: { _id: r.upsertedId } };
}

const bulkWrite: CommandHandler = async (cmd, exec) => {
  if (exec.db !== 'admin') throw new MongoCommandError(ErrorCode.Unauthorized, 'bulkWrite may only be run against the admin database.');
  const namespaces = docList(cmd, 'nsInfo', 'bulkWrite').map(parseNamespace);
  const ops = docList(cmd, 'ops', 'bulkWrite').map((op, i) => parseOp(op, i, namespaces.length));
  const ordered = cmd.ordered !== false;
  const errorsOnly = cmd.errorsOnly === true;
  const ctx = exec.newWriteContext();
  const totals: Totals = { nInserted: 0, nMatched: 0, nModified: 0, nUpserted: 0, nDeleted: 0 };
  const results: Doc[] = [];
  let nErrors = 0;
  for (let idx = 0; idx < ops.length; idx++) {
    try {
      const result = await runOp(exec, ctx, ops[idx], namespaces, totals);
      if (!errorsOnly) results.push({ ok: 1, idx, ...result });
    } catch (err) {
      // Write conflicts and transaction errors fail the whole command, as for insert/update/delete.
      const { index: _, ...error } = toWriteError(err, idx, !!exec.txn);
      results.push({ ok: 0, idx, n: 0, ...error });
      nErrors += 1;
      if (ordered || exec.txn) break;
    }
  }
  await Promise.all(ctx.durable);
  return { cursor: { id: Long.fromNumber(0), firstBatch: results, ns: 'admin.$cmd.bulkWrite' }, nErrors, ...totals, ok: 1 };
};

export const BULK_WRITE_COMMANDS: Record<string, CommandHandler> = { bulkWrite };
