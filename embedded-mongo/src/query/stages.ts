import { Lazy } from 'mingo/lazy';
import * as mingoStages from 'mingo/operators/pipeline';
import { MongoCommandError, notImplemented } from '../errors.js';
import type { Doc } from '../types.js';
import type { OperatorTable, StageOp } from './mingo-types.js';
import { evaluate } from './context.js';
import { compileFilterWith } from './filter.js';
import { $bucket } from './bucket.js';
import { $group, $sortByCount } from './group.js';
import { $graphLookup, $lookup } from './lookup.js';
import { getPath, removePathCopy, setPathCopy } from './paths.js';
import { parseProjection } from './projection-parse.js';
import { applyAddFields, applyExclusion, applyInclusion } from './projection-tree.js';
import { sortDocuments } from './sort.js';
import { bsonTypeName, cloneValue, formatValue, isPlainObject } from './values.js';

/**
 * Pipeline stages registered over mingo's: BSON-aware ($match, $sort, $group, ...) and
 * copy-on-write (mingo's $addFields/$project/$unwind mutate nested input objects). Server-only
 * and write stages answer NotImplemented.
 */

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

const $match: StageOp = (coll, spec, options) => {
  const pred = compileFilterWith(spec as Doc, options);
  return coll.filter((doc: Doc) => pred(doc));
};

const $project: StageOp = (coll, spec, options) => {
  if (!isPlainObject(spec)) throw fail(15969, '$project specification must be an object');
  if (!Object.keys(spec).length) throw fail(51272, '$project requires at least one output field');
  const parsed = parseProjection(spec, 'project');
  if (parsed.mode === 'exclusion') return coll.map((doc: Doc) => applyExclusion(doc, parsed.root));
  return coll.map((doc: Doc) => applyInclusion(doc, parsed.root, { evaluate: (e) => evaluate(doc, e, options) }));
};

const $unset: StageOp = (coll, spec) => {
  const fields = typeof spec === 'string' ? [spec] : spec;
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) {
    throw fail(31002, '$unset specification must be a string or an array containing only string values');
  }
  if (!fields.length) throw fail(31119, '$unset specification must be a string or an array with at least one field');
  const parsed = parseProjection(Object.fromEntries(fields.map((f) => [f, 0])), 'project');
  return coll.map((doc: Doc) => applyExclusion(doc, parsed.root));
};

const $addFields: StageOp = (coll, spec, options) => {
  if (!isPlainObject(spec)) throw fail(40272, '$addFields specification stage must be an object');
  if (!Object.keys(spec).length) return coll;
  const parsed = parseProjection(spec, 'addFields');
  return coll.map((doc: Doc) => applyAddFields(doc, parsed.root, { evaluate: (e) => evaluate(doc, e, options) }));
};

const $sort: StageOp = (coll, spec) => {
  if (!isPlainObject(spec) || !Object.keys(spec).length) throw fail(15976, '$sort stage must have at least one sort key');
  return coll.transform((docs: Doc[]) => Lazy(sortDocuments(docs, spec)));
};

const $sample: StageOp = (coll, spec) => {
  const size = isPlainObject(spec) ? spec.size : undefined;
  if (typeof size !== 'number') throw fail(28746, 'size argument to $sample must be a number');
  if (size < 0) throw fail(28747, 'size argument to $sample must not be negative');
  return coll.transform((docs: Doc[]) => {
    const pool = docs.slice();
    const n = Math.min(Math.trunc(size), pool.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(Math.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    return Lazy(pool.slice(0, n));
  });
};

const $unwind: StageOp = (coll, spec) => {
  const opts = typeof spec === 'string' ? { path: spec } : spec;
  if (!isPlainObject(opts)) throw fail(15981, 'expected either a string or an object as specification for $unwind stage');
  const { path, includeArrayIndex, preserveNullAndEmptyArrays } = opts;
  if (typeof path !== 'string' || !path.startsWith('$')) {
    throw fail(28818, `path option to $unwind stage should be prefixed with a '$': ${formatValue(path)}`);
  }
  if (includeArrayIndex !== undefined && (typeof includeArrayIndex !== 'string' || includeArrayIndex.startsWith('$'))) {
    throw fail(28822, 'includeArrayIndex option to $unwind stage should not be prefixed with a \'$\'');
  }
  const parts = path.slice(1).split('.');
  const indexParts = typeof includeArrayIndex === 'string' ? includeArrayIndex.split('.') : undefined;
  const withIndex = (doc: Doc, i: number | null) => (indexParts ? setPathCopy(doc, indexParts, i) : doc);
  const preserve = preserveNullAndEmptyArrays === true;
  return coll.transform((docs: Doc[]) => {
    const out: Doc[] = [];
    for (const doc of docs) {
      const value = getPath(doc, parts);
      if (Array.isArray(value) && value.length) {
        value.forEach((el, i) => out.push(withIndex(setPathCopy(doc, parts, el), i)));
      } else if (Array.isArray(value)) {
        if (preserve) out.push(withIndex(removePathCopy(doc, parts), null));
      } else if (value !== null && value !== undefined) {
        out.push(withIndex(doc, null));
      } else if (preserve) {
        out.push(withIndex(doc, null));
      }
    }
    return Lazy(out);
  });
};

const replaceRoot =
  (name: string, field: (spec: unknown) => unknown): StageOp =>
  (coll, spec, options) => {
    const expr = field(spec);
    return coll.map((doc: Doc) => {
      const root = evaluate(doc, expr, options);
      if (!isPlainObject(root)) {
        throw fail(
          40228,
          `'${name}' expression must evaluate to an object, but resulting value was: ${formatValue(root)}. Type of resulting value: '${bsonTypeName(root)}'. Input document: ${formatValue(doc)}`,
        );
      }
      return root;
    });
  };

/** mongod's `$count` is `$group` + `$project`: an empty input yields no document. */
const $count: StageOp = (coll, name) => {
  if (typeof name !== 'string' || !name.length) throw fail(40156, 'the count field must be a non-empty string');
  if (name.startsWith('$')) throw fail(40158, 'the count field cannot be a $-prefixed path');
  if (name.includes('.')) throw fail(40160, "the count field cannot contain '.'");
  return coll.transform((docs: Doc[]) => Lazy(docs.length ? [{ [name]: docs.length }] : []));
};

const $limit: StageOp = (coll, n) => {
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) throw fail(15958, 'the limit must be positive');
  return coll.take(n);
};

const $skip: StageOp = (coll, n) => {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw fail(15956, `invalid argument to $skip stage: Expected a non-negative number in: $skip: ${formatValue(n)}`);
  }
  return coll.drop(n);
};

/** `_id` first, as mongod emits it. */
function idFirst(doc: Doc): Doc {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

/**
 * mingo stages we keep but feed with copies (they may write into their inputs); pruned
 * documents (mingo's $redact yields null for `$$PRUNE` at the root) are dropped.
 */
const isolated =
  (stage: StageOp): StageOp =>
  (coll, spec, options) =>
    stage(coll.map((doc: Doc) => cloneValue(doc)), spec, options)
      .filter((doc: unknown) => isPlainObject(doc))
      .map((doc: Doc) => idFirst(doc));

const unsupported = (name: string): StageOp => () => {
  throw notImplemented(`${name} stage`);
};

const UNSUPPORTED = [
  '$out', '$merge', '$changeStream', '$changeStreamSplitLargeEvent', '$collStats', '$indexStats', '$currentOp',
  '$geoNear', '$search', '$searchMeta', '$vectorSearch', '$listSessions', '$listLocalSessions', '$planCacheStats',
  '$listSearchIndexes', '$listCatalog', '$querySettings', '$shardedDataDistribution', '$listClusterCatalog',
];

export const stageOverrides: OperatorTable<StageOp> = {
  $match,
  $project,
  $unset,
  $addFields,
  $set: $addFields,
  $sort,
  $group,
  $sortByCount,
  $sample,
  $unwind,
  $bucket,
  $count,
  $limit,
  $skip,
  $lookup,
  $graphLookup,
  $replaceRoot: replaceRoot('newRoot', (spec) => (isPlainObject(spec) ? spec.newRoot : undefined)),
  $replaceWith: replaceRoot('replacement document', (spec) => spec),
  $setWindowFields: isolated(mingoStages.$setWindowFields as unknown as StageOp),
  $densify: isolated(mingoStages.$densify as unknown as StageOp),
  $fill: isolated(mingoStages.$fill as unknown as StageOp),
  $redact: isolated(mingoStages.$redact as unknown as StageOp),
  $bucketAuto: isolated(mingoStages.$bucketAuto as unknown as StageOp),
  ...Object.fromEntries(UNSUPPORTED.map((name) => [name, unsupported(name)])),
};
