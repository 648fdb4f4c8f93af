import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { runPipeline } from './aggregate.js';
import { positionalMatcher } from './positional.js';
import { MODIFIERS, setSlot, unsetSlot } from './update-ops.js';
import { arrayAlong, comparePaths, locate, parseOperatorUpdate, type ParsedOp } from './update-paths.js';
import { expandPath, filterIds, parseArrayFilters } from './update-positional.js';
import { cloneValue, formatValue, idFirst, isPlainObject, sameValue } from './values.js';

export { upsertSeed } from './upsert.js';

/**
 * Updates as mongod applies them: operator updates (`{$set: ...}`), replacement documents and
 * pipeline updates (`[{$set: ...}]`). The input document is never modified; `modified` is false
 * (and the input returned) when the result is identical to it (mongod's nModified).
 */

export interface UpdateOptions {
  arrayFilters?: Doc[];
  /** True when applying to the seed of an upsert that inserts (enables $setOnInsert). */
  isUpsertInsert?: boolean;
  /** The update's query (for the positional `$`). */
  query?: Doc;
  /** `let` variables for pipeline updates. */
  variables?: Doc;
}

export interface UpdateResult {
  doc: Doc;
  modified: boolean;
}

export type UpdateKind = 'operator' | 'replacement' | 'pipeline';

/** How mongod reads an update: an array is a pipeline, a first `$` key an operator update. */
export function updateKind(update: Doc | Doc[]): UpdateKind {
  if (Array.isArray(update)) return 'pipeline';
  const first = Object.keys(update)[0];
  return first !== undefined && first.startsWith('$') ? 'operator' : 'replacement';
}

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

export function applyUpdate(doc: Doc, update: Doc | Doc[], opts: UpdateOptions = {}): UpdateResult {
  if (!Array.isArray(update) && !isPlainObject(update)) {
    throw fail(ErrorCode.FailedToParse, 'Update argument must be either an object or an array');
  }
  const kind = updateKind(update);
  const next =
    kind === 'pipeline' ? pipelineUpdate(doc, update as Doc[], opts)
    : kind === 'operator' ? operatorUpdate(doc, update as Doc, opts)
    : replacement(doc, update as Doc);
  validateId(next);
  const result = idFirst(next);
  return sameValue(result, doc) ? { doc, modified: false } : { doc: result, modified: true };
}

function operatorUpdate(doc: Doc, update: Doc, opts: UpdateOptions): Doc {
  const ops = parseOperatorUpdate(update);
  const filters = parseArrayFilters(opts.arrayFilters);
  const used = new Set<string>();
  for (const op of ops) {
    for (const id of filterIds(op.parts)) {
      if (!filters.has(id)) throw fail(ErrorCode.BadValue, `No array filter found for identifier '${id}' in path '${op.path}'`);
      used.add(id);
    }
  }
  for (const id of filters.keys()) {
    if (!used.has(id)) {
      throw fail(ErrorCode.FailedToParse, `The array filter for identifier '${id}' was not used in the update ${formatValue(update)}`);
    }
  }
  const matchers = new Map<string, (d: Doc) => number | undefined>();
  const expansion = {
    filters,
    firstMatch(prefix: string[]) {
      const key = prefix.join('.');
      let m = matchers.get(key);
      if (!m) matchers.set(key, (m = opts.query ? positionalMatcher(opts.query, prefix) : () => undefined));
      return m(doc);
    },
  };
  const planned: Array<{ op: ParsedOp; parts: string[] }> = [];
  for (const op of ops) {
    if (op.name === '$setOnInsert' && !opts.isUpsertInsert) continue;
    for (const parts of expandPath(doc, op.parts, expansion)) planned.push({ op, parts });
  }
  planned.sort((a, b) => comparePaths(a.parts, b.parts));

  const work = cloneValue(doc);
  const env = { original: doc, path: '', now: new Date() };
  for (const { op, parts } of planned) {
    if (op.name === '$rename') {
      rename(work, doc, parts, op.to as string[]);
      continue;
    }
    const modifier = MODIFIERS[op.name];
    const slot = locate(work, parts, modifier.creates);
    if (!slot) continue;
    modifier.apply(slot, op.arg, { ...env, path: parts.join('.') });
  }
  if ('_id' in doc && !sameValue(doc._id, work._id)) {
    throw fail(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
  return work;
}

function rename(work: Doc, original: Doc, from: string[], to: string[]): void {
  const id = formatValue(original._id);
  const source = arrayAlong(work, from);
  if (source !== undefined) {
    throw fail(ErrorCode.BadValue, `The source field cannot be an array element, '${from.join('.')}' in doc with _id: ${id} has an array field called '${source}'`);
  }
  const slot = locate(work, from, false);
  if (!slot || slot.value === undefined) return;
  const dest = arrayAlong(work, to);
  if (dest !== undefined) {
    throw fail(ErrorCode.BadValue, `The destination field cannot be an array element, '${to.join('.')}' in doc with _id: ${id} has an array field called '${dest}'`);
  }
  const value = slot.value;
  unsetSlot(slot);
  const target = locate(work, to, true);
  if (target) setSlot(target, value);
}

function replacement(doc: Doc, rep: Doc): Doc {
  for (const k of Object.keys(rep)) {
    if (k.startsWith('$')) {
      throw fail(
        52,
        `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document. Consider using an aggregation pipeline with $replaceWith.`,
      );
    }
  }
  const out: Doc = {};
  if ('_id' in doc) {
    if ('_id' in rep && !sameValue(rep._id, doc._id)) throw alteredId(rep._id);
    out._id = doc._id;
  } else if ('_id' in rep) {
    out._id = cloneValue(rep._id);
  }
  for (const k of Object.keys(rep)) if (k !== '_id') out[k] = cloneValue(rep[k]);
  return out;
}

const alteredId = (id: unknown) =>
  fail(ErrorCode.ImmutableField, `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(id)}`);

const PIPELINE_UPDATE_STAGES = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);

function pipelineUpdate(doc: Doc, pipeline: Doc[], opts: UpdateOptions): Doc {
  for (const stage of pipeline) {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (name !== undefined && name.startsWith('$') && !PIPELINE_UPDATE_STAGES.has(name)) {
      throw fail(ErrorCode.InvalidOptions, `${name} is not allowed to be used within an update`);
    }
  }
  const out = runPipeline([doc], pipeline, { resolveCollection: () => [], variables: opts.variables });
  if (out.length !== 1) throw fail(ErrorCode.InternalError, 'pipeline update did not produce exactly one document');
  const result = out[0];
  if (!('_id' in doc)) return result;
  if (!('_id' in result)) return { _id: doc._id, ...result };
  if (!sameValue(result._id, doc._id)) throw alteredId(result._id);
  return result;
}

function validateId(doc: Doc): void {
  const id = doc._id;
  if (Array.isArray(id)) throw fail(ErrorCode.InvalidIdField, "The '_id' value cannot be of type array");
  if (id instanceof RegExp) throw fail(ErrorCode.InvalidIdField, "The '_id' value cannot be of type regex");
}

