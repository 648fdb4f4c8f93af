import { Binary, Long } from 'bson';
import { ErrorCode, MongoCommandError } from '../errors.js';
import { assertDbName } from '../storage/catalog.js';
import { committedView, transactionView } from '../storage/read-view.js';
import type { Doc } from '../types.js';
import type { CommandHandler, Exec, Opcounters, ServerState } from './context.js';
import { COMMANDS } from './registry.js';
import type { SessionState } from './sessions.js';
import { abortOnError, abortTransaction, commitTransaction, transactionFor } from './transactions.js';

/** Commands whose retries (same lsid + txnNumber) must return the first answer, not run again. */
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findandmodify', 'bulkwrite']);

const COMMAND_LOOKUP = new Map(Object.entries(COMMANDS).map(([name, h]) => [name.toLowerCase(), h]));

/**
 * Runs one command: resolves its session, transaction or retryable-write state, executes it
 * and decorates the reply with cluster time. Errors become `{ ok: 0 }` replies, never throws.
 */
export async function dispatch(server: ServerState, body: Doc, connectionId: number): Promise<Doc> {
  try {
    return withClusterTime(server, await run(server, body, connectionId));
  } catch (err) {
    if (err instanceof MongoCommandError) return withClusterTime(server, err.toReply());
    server.log.warn(`embedded-mongo: internal error: ${(err as Error).stack ?? String(err)}`);
    return { ok: 0, code: ErrorCode.InternalError, codeName: 'InternalError', errmsg: (err as Error).message };
  }
}

async function run(server: ServerState, body: Doc, connectionId: number): Promise<Doc> {
  const name = Object.keys(body)[0] ?? '';
  const handler = COMMAND_LOOKUP.get(name.toLowerCase());
  if (!handler) throw new MongoCommandError(ErrorCode.CommandNotFound, `no such command: '${name}'`);
  const db = (body.$db as string | undefined) ?? 'admin';
  assertDbName(db);
  countOperation(server.opcounters, name.toLowerCase(), body);
  const session = body.lsid ? server.sessions.touch(body.lsid as Doc) : undefined;
  const txnNumber = body.txnNumber as number | undefined;
  const lname = name.toLowerCase();
  if (session && txnNumber !== undefined) {
    if (lname === 'committransaction') return commitTransaction(server, session, txnNumber);
    if (lname === 'aborttransaction') return abortTransaction(server, session, txnNumber);
    if (body.autocommit === false) return runInTransaction(server, session, body, txnNumber, handler, db, connectionId);
    if (RETRYABLE_WRITES.has(lname)) return runRetryable(server, session, body, txnNumber, handler, db, connectionId);
  }
  return handler(body, makeExec(server, db, connectionId, session));
}

const statements = (list: unknown) => (Array.isArray(list) ? list.length : 0);

/** Counts a command as mongod does: one per inserted document, update or delete statement; finds as queries. */
function countOperation(counters: Opcounters, lname: string, body: Doc): void {
  if (lname === 'insert') counters.insert += statements(body.documents);
  else if (lname === 'update') counters.update += statements(body.updates);
  else if (lname === 'delete') counters.delete += statements(body.deletes);
  else if (lname === 'find') counters.query += 1;
  else if (lname === 'getmore') counters.getmore += 1;
  else counters.command += 1;
}

async function runInTransaction(server: ServerState, session: SessionState, body: Doc, txnNumber: number, handler: CommandHandler, db: string, connectionId: number): Promise<Doc> {
  const txn = transactionFor(server, session, body, txnNumber);
  try {
    const reply = await handler(body, makeExec(server, db, connectionId, session, txn));
    // A failed statement aborts the transaction: insert/update/delete report it in `writeErrors`, bulkWrite in `nErrors`.
    if ((Array.isArray(reply.writeErrors) && reply.writeErrors.length) || (typeof reply.nErrors === 'number' && reply.nErrors > 0)) abortOnError(server, txn, 'write error');
    return reply;
  } catch (err) {
    abortOnError(server, txn, (err as Error).message);
    throw err;
  }
}

async function runRetryable(server: ServerState, session: SessionState, body: Doc, txnNumber: number, handler: CommandHandler, db: string, connectionId: number): Promise<Doc> {
  if (txnNumber < session.txnNumber) {
    throw new MongoCommandError(ErrorCode.TransactionTooOld, `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`);
  }
  if (txnNumber === session.txnNumber && session.retryReply) return session.retryReply;
  session.txnNumber = txnNumber;
  session.retryReply = undefined;
  const reply = await handler(body, makeExec(server, db, connectionId, session));
  if (reply.ok === 1) session.retryReply = reply;
  return reply;
}

function makeExec(server: ServerState, db: string, connectionId: number, session?: SessionState, txn?: Exec['txn']): Exec {
  const view = txn ? transactionView(txn) : committedView;
  return {
    server,
    db,
    connectionId,
    view,
    txn,
    sessionKey: session?.key,
    newWriteContext: () => ({ engine: server.engine, view, txn, durable: [] }),
  };
}

const ZERO_SIGNATURE = { hash: new Binary(Buffer.alloc(20)), keyId: Long.fromNumber(0) };

/** Replica-set members report cluster time; drivers use operationTime to resume change streams. */
function withClusterTime(server: ServerState, reply: Doc): Doc {
  const time = server.engine.oplog.currentTime;
  return { ...reply, operationTime: time, $clusterTime: { clusterTime: time, signature: ZERO_SIGNATURE } };
}
