import { ErrorCode, MongoCommandError } from '../errors.js';
import { projectDocument } from '../query/projection.js';
import type { Doc } from '../types.js';
import { collectionArg, optionalDoc, rejectCollation } from './args.js';
import type { CommandHandler } from './context.js';
import { runDelete, runUpdate } from './write.js';

const project = (doc: Doc | undefined, fields: Doc | undefined): Doc | null => {
  if (!doc) return null;
  return fields && Object.keys(fields).length ? projectDocument(doc, fields) : doc;
};

/** findAndModify: update, upsert or remove the first matching document (in `sort` order). */
const findAndModify: CommandHandler = async (cmd, exec) => {
  const name = collectionArg(cmd, Object.keys(cmd)[0], exec.db);
  rejectCollation(cmd);
  const query = optionalDoc(cmd, 'query', 'findAndModify') ?? {};
  const sort = optionalDoc(cmd, 'sort', 'findAndModify');
  const fields = optionalDoc(cmd, 'fields', 'findAndModify');
  const remove = cmd.remove === true;
  if (remove && (cmd.update !== undefined || cmd.upsert === true || cmd.new === true)) {
    throw new MongoCommandError(ErrorCode.FailedToParse, 'Cannot specify both an update and remove=true');
  }
  if (!remove && cmd.update === undefined) throw new MongoCommandError(ErrorCode.FailedToParse, 'Either an update or remove=true must be specified');
  const coll = await exec.server.engine.ensureCollection(exec.db, name);
  const ctx = exec.newWriteContext();
  let reply: Doc;
  if (remove) {
    const [deleted] = await runDelete(ctx, coll, query, 1, sort);
    reply = { lastErrorObject: { n: deleted ? 1 : 0 }, value: project(deleted, fields), ok: 1 };
  } else {
    const r = await runUpdate(ctx, coll, { q: query, u: cmd.update as Doc, upsert: cmd.upsert === true, arrayFilters: cmd.arrayFilters as Doc[] | undefined }, sort);
    const upserted = r.upsertedId !== undefined;
    const value = cmd.new === true ? r.after : upserted ? undefined : r.before;
    const lastErrorObject: Doc = { n: upserted || r.matched ? 1 : 0, updatedExisting: r.matched > 0 };
    if (upserted) lastErrorObject.upserted = r.upsertedId;
    reply = { lastErrorObject, value: project(value, fields), ok: 1 };
  }
  await Promise.all(ctx.durable);
  return reply;
};

export const FIND_AND_MODIFY_COMMANDS: Record<string, CommandHandler> = { findAndModify };
