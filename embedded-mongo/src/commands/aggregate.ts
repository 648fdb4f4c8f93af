import { changeStreamSource, parseChangeStream } from '../changes/change-stream.js';
import { ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { runPipeline } from '../query/aggregate.js';
import type { Doc } from '../types.js';
import { collectionArg, docList, rejectCollation } from './args.js';
import type { CommandHandler, Exec } from './context.js';
import { arraySource } from './cursors.js';
import { runQuery } from './query-exec.js';

/** Documents of another collection in the same database, as this reader sees them ($lookup). */
function resolver(exec: Exec) {
  return (name: string): Doc[] => runQuery(exec.view, exec.server.engine.catalog.get(exec.db, name), {}).docs;
}

/**
 * aggregate: a `$changeStream` pipeline opens a tailing cursor; any other pipeline runs over
 * the collection. A leading `$match` picks its candidates through an index.
 */
const aggregate: CommandHandler = async (cmd, exec) => {
  rejectCollation(cmd);
  if (cmd.explain) throw notImplemented('explain of aggregate');
  if (cmd.let) throw notImplemented("the aggregate option 'let'");
  const pipeline = docList(cmd, 'pipeline', 'aggregate');
  const cursorOpt = cmd.cursor as Doc | undefined;
  if (!cursorOpt || typeof cursorOpt !== 'object') {
    throw new MongoCommandError(ErrorCode.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
  }
  const batchSize = (cursorOpt.batchSize as number | undefined) ?? 101;
  const first = pipeline[0] as Doc | undefined;
  if (first && '$changeStream' in first) return openChangeStream(cmd, exec, pipeline, batchSize);
  if (cmd.aggregate === 1) throw notImplemented(`database-level aggregation with stage ${first ? Object.keys(first)[0] : '(none)'}`);
  const name = collectionArg(cmd, 'aggregate', exec.db);
  const coll = exec.server.engine.catalog.get(exec.db, name);
  const leadingMatch = first && '$match' in first && !('$expr' in (first.$match as Doc)) ? (first.$match as Doc) : undefined;
  const input = runQuery(exec.view, coll, { filter: leadingMatch }).docs;
  const docs = runPipeline(input, leadingMatch ? pipeline.slice(1) : pipeline, { resolveCollection: resolver(exec) });
  const cursor = await exec.server.cursors.first(`${exec.db}.${name}`, arraySource(docs), batchSize, exec.sessionKey);
  return { cursor, ok: 1 };
};

async function openChangeStream(cmd: Doc, exec: Exec, pipeline: Doc[], batchSize: number): Promise<Doc> {
  if (exec.txn) throw new MongoCommandError(ErrorCode.OperationNotSupportedInTransaction, 'Cannot run $changeStream in a multi-document transaction');
  const stage = pipeline[0].$changeStream as Doc;
  const wholeCluster = stage.allChangesForCluster === true;
  if (wholeCluster && (exec.db !== 'admin' || cmd.aggregate !== 1)) {
    throw new MongoCommandError(ErrorCode.InvalidOptions, "A $changeStream with 'allChangesForCluster:true' may only be opened on the 'admin' database, and with no collection name");
  }
  const scope = wholeCluster ? {} : cmd.aggregate === 1 ? { db: exec.db } : { db: exec.db, coll: collectionArg(cmd, 'aggregate', exec.db) };
  const { engine } = exec.server;
  const spec = parseChangeStream(stage, pipeline.slice(1), scope, engine.oplog);
  const ns = cmd.aggregate === 1 ? `${exec.db}.$cmd.aggregate` : `${exec.db}.${cmd.aggregate as string}`;
  const source = changeStreamSource(spec, engine.oplog, engine.catalog);
  const cursor = await exec.server.cursors.first(ns, source, batchSize, exec.sessionKey);
  return { cursor, ok: 1 };
}

export const AGGREGATE_COMMANDS: Record<string, CommandHandler> = { aggregate };
