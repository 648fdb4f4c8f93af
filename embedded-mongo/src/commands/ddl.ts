import { calculateObjectSize } from 'bson';
import { ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import type { IndexSpec } from '../storage/indexes/collection-indexes.js';
import type { Doc } from '../types.js';
import { collectionArg, docList, optionalDoc } from './args.js';
import type { CommandHandler, Exec } from './context.js';
import { arraySource } from './cursors.js';
import { filterDocs } from './find.js';

/** Options of `create` that change behaviour and that this server does not implement. */
const UNSUPPORTED_CREATE_OPTIONS = ['capped', 'viewOn', 'timeseries', 'clusteredIndex', 'validator', 'encryptedFields'];

const create: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, 'create', exec.db);
  for (const opt of UNSUPPORTED_CREATE_OPTIONS) if (cmd[opt]) throw notImplemented(`the create option '${opt}'`);
  if (exec.server.engine.catalog.get(exec.db, name)) {
    throw new MongoCommandError(ErrorCode.NamespaceExists, `Collection ${exec.db}.${name} already exists.`);
  }
  await exec.server.engine.ensureCollection(exec.db, name);
  return { ok: 1 };
};

const drop: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, 'drop', exec.db);
  const coll = exec.server.engine.catalog.get(exec.db, name);
  if (!coll) return { ok: 1 };
  const nIndexesWas = coll.indexes.list().length;
  await exec.server.engine.commit([{ op: 'drop', db: exec.db, coll: name }]);
  return { nIndexesWas, ns: `${exec.db}.${name}`, ok: 1 };
};

const dropDatabase: CommandHandler = async (_cmd, exec) => {
  if (exec.server.engine.catalog.collections(exec.db).length) {
    await exec.server.engine.commit([{ op: 'dropDatabase', db: exec.db }]);
  }
  return { dropped: exec.db, ok: 1 };
};

function dbSize(exec: Exec, db: string): number {
  let size = 0;
  for (const coll of exec.server.engine.catalog.collections(db)) {
    for (const doc of coll.docs.values()) size += calculateObjectSize(doc);
  }
  return size;
}

const listDatabases: CommandHandler = (cmd, exec) => {
  const nameOnly = cmd.nameOnly === true;
  const all = exec.server.engine.catalog.databases().map((name) => {
    if (nameOnly) return { name };
    const sizeOnDisk = dbSize(exec, name);
    return { name, sizeOnDisk, empty: sizeOnDisk === 0 };
  });
  const databases = filterDocs(all, optionalDoc(cmd, 'filter', 'listDatabases'));
  const totalSize = databases.reduce((s, d) => s + ((d as Doc).sizeOnDisk as number ?? 0), 0);
  return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.round(totalSize / 1048576), ok: 1 };
};

const listCollections: CommandHandler = async (cmd, exec) => {
  const infos = exec.server.engine.catalog.collections(exec.db).map((c) =>
    cmd.nameOnly === true
      ? { name: c.name, type: 'collection' }
      : { name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } },
  );
  const docs = filterDocs(infos, optionalDoc(cmd, 'filter', 'listCollections'));
  const batchSize = ((cmd.cursor as Doc | undefined)?.batchSize as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const cursor = await exec.server.cursors.first(`${exec.db}.$cmd.listCollections`, arraySource(docs), batchSize, exec.sessionKey);
  return { cursor, ok: 1 };
};

const createIndexes: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, 'createIndexes', exec.db);
  const specs = docList(cmd, 'indexes', 'createIndexes') as unknown as IndexSpec[];
  const existed = !!exec.server.engine.catalog.get(exec.db, name);
  const coll = await exec.server.engine.ensureCollection(exec.db, name);
  const numIndexesBefore = coll.indexes.list().length;
  for (const spec of specs) {
    // Validate against a throwaway build first: a failing index must leave nothing behind.
    if (!coll.indexes.wouldCreate(spec, coll.docs.entries())) continue;
    await exec.server.engine.commit([{ op: 'createIndexes', db: exec.db, coll: name, payload: { spec } }]);
  }
  const numIndexesAfter = coll.indexes.list().length;
  const reply: Doc = { createdCollectionAutomatically: !existed, numIndexesBefore, numIndexesAfter, ok: 1 };
  if (numIndexesAfter === numIndexesBefore) reply.note = 'all indexes already exist';
  return reply;
};

const listIndexes: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, 'listIndexes', exec.db);
  const coll = exec.server.engine.catalog.get(exec.db, name);
  if (!coll) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns does not exist: ${exec.db}.${name}`);
  const batchSize = ((cmd.cursor as Doc | undefined)?.batchSize as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const cursor = await exec.server.cursors.first(`${exec.db}.${name}`, arraySource(coll.indexes.list() as Doc[]), batchSize, exec.sessionKey);
  return { cursor, ok: 1 };
};

const dropIndexes: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, Object.keys(cmd)[0], exec.db);
  const coll = exec.server.engine.catalog.get(exec.db, name);
  if (!coll) throw new MongoCommandError(ErrorCode.NamespaceNotFound, `ns not found ${exec.db}.${name}`);
  const nIndexesWas = coll.indexes.list().length;
  const targets = Array.isArray(cmd.index) ? cmd.index : [cmd.index];
  const names = targets.flatMap((t) => (t === '*' ? coll.indexes.list().map((s) => s.name).filter((n) => n !== '_id_') : [coll.indexes.resolveName(t as string | Doc)]));
  for (const indexName of names) await exec.server.engine.commit([{ op: 'dropIndexes', db: exec.db, coll: name, payload: { name: indexName } }]);
  return { nIndexesWas, ok: 1 };
};

export const DDL_COMMANDS: Record<string, CommandHandler> = {
  create, drop, dropDatabase, listDatabases, listCollections, createIndexes, listIndexes, dropIndexes, deleteIndexes: dropIndexes,
};
