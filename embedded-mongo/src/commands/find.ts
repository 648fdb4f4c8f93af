import { valueKey } from '../bson/value-key.js';
import { notImplemented } from '../errors.js';
import { compileFilter } from '../query/filter.js';
import { indexValues } from '../query/paths.js';
import type { Doc } from '../types.js';
import { anyArray, collectionArg, nonNegative, optionalDoc, optionalNumber, rejectCollation, requiredNumber, requiredString } from './args.js';
import type { CommandHandler, Exec } from './context.js';
import { arraySource } from './cursors.js';
import { runQuery, type QuerySpec } from './query-exec.js';

const UNSUPPORTED_FIND_OPTIONS = ['min', 'max', 'returnKey', 'showRecordId', 'tailable', 'oplogReplay'];

function findSpec(cmd: Doc): QuerySpec & { batchSize: number; singleBatch: boolean } {
  for (const opt of UNSUPPORTED_FIND_OPTIONS) if (cmd[opt]) throw notImplemented(`the find option '${opt}'`);
  rejectCollation(cmd);
  const rawLimit = optionalNumber(cmd, 'limit', 'find');
  const limit = rawLimit === undefined || rawLimit === 0 ? undefined : Math.abs(rawLimit);
  return {
    filter: optionalDoc(cmd, 'filter', 'find'),
    sort: optionalDoc(cmd, 'sort', 'find'),
    projection: optionalDoc(cmd, 'projection', 'find'),
    skip: nonNegative(cmd, 'skip', 'find'),
    limit,
    batchSize: nonNegative(cmd, 'batchSize', 'find') ?? 101,
    singleBatch: cmd.singleBatch === true || (rawLimit !== undefined && rawLimit < 0),
  };
}

const find: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, 'find', exec.db);
  const spec = findSpec(cmd);
  const { docs } = runQuery(exec.view, exec.server.engine.catalog.get(exec.db, name), spec);
  const batch = spec.limit ? Math.min(spec.batchSize, spec.limit) : spec.batchSize;
  const cursor = await exec.server.cursors.first(`${exec.db}.${name}`, arraySource(docs), batch, exec.sessionKey, spec.singleBatch);
  return { cursor, ok: 1 };
};

const getMore: CommandHandler = async (cmd, exec) => {
  const id = requiredNumber(cmd, 'getMore', 'getMore');
  const coll = requiredString(cmd, 'collection', 'getMore');
  const cursor = await exec.server.cursors.more(id, `${exec.db}.${coll}`, optionalNumber(cmd, 'batchSize', 'getMore'), optionalNumber(cmd, 'maxTimeMS', 'getMore'));
  return { cursor, ok: 1 };
};

const killCursors: CommandHandler = (cmd, exec) => {
  collectionArg(cmd, 'killCursors', exec.db);
  const ids = anyArray(cmd, 'cursors', 'killCursors');
  const killed: unknown[] = [];
  const notFound: unknown[] = [];
  for (const id of ids) (exec.server.cursors.kill(Number(id)) ? killed : notFound).push(id);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (cmd, exec) => {
  const name = collectionArg(cmd, 'count', exec.db);
  rejectCollation(cmd);
  const { docs } = runQuery(exec.view, exec.server.engine.catalog.get(exec.db, name), {
    filter: optionalDoc(cmd, 'query', 'count'),
    skip: nonNegative(cmd, 'skip', 'count'),
    limit: Math.abs(optionalNumber(cmd, 'limit', 'count') ?? 0) || undefined,
  });
  return { n: docs.length, ok: 1 };
};

const distinct: CommandHandler = (cmd, exec) => {
  const name = collectionArg(cmd, 'distinct', exec.db);
  rejectCollation(cmd);
  const key = requiredString(cmd, 'key', 'distinct');
  const { docs } = runQuery(exec.view, exec.server.engine.catalog.get(exec.db, name), { filter: optionalDoc(cmd, 'query', 'distinct') });
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    const { values, missing } = indexValues(doc, key);
    if (missing) continue;
    for (const v of values) if (v !== undefined && !seen.has(valueKey(v))) seen.set(valueKey(v), v);
  }
  return { values: [...seen.values()], ok: 1 };
};

/** explain for find/count: which plan a query used, so tests and users can see index use. */
const explain: CommandHandler = (cmd, exec) => {
  const inner = cmd.explain as Doc;
  const verb = Object.keys(inner)[0];
  if (verb !== 'find' && verb !== 'count') throw notImplemented(`explain of '${verb}'`);
  const name = collectionArg(inner, verb, exec.db);
  const spec = verb === 'find' ? findSpec(inner) : { filter: optionalDoc(inner, 'query', 'count') };
  const r = runQuery(exec.view, exec.server.engine.catalog.get(exec.db, name), spec);
  const [stage, indexName] = r.plan.split(' ');
  const winningPlan = stage === 'IXSCAN' ? { stage: 'FETCH', inputStage: { stage: 'IXSCAN', indexName } } : { stage };
  return {
    queryPlanner: { namespace: `${exec.db}.${name}`, parsedQuery: spec.filter ?? {}, winningPlan, rejectedPlans: [] },
    executionStats: { nReturned: r.docs.length, totalKeysExamined: r.keysExamined, totalDocsExamined: r.docsExamined },
    ok: 1,
  };
};

export const FIND_COMMANDS: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct, explain };

/** Used by listCollections/listIndexes: filter a small in-memory list with the query engine. */
export function filterDocs(docs: Doc[], filter: Doc | undefined): Doc[] {
  if (!filter) return docs;
  const test = compileFilter(filter);
  return docs.filter(test);
}

export type { Exec };
