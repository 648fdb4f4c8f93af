import { Aggregator } from 'mingo/aggregator';
import type { Options } from 'mingo/types';
import { valueKey } from '../bson/value-key.js';
import { ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import type { StageOp } from './mingo-types.js';
import { evaluate, guard, nestedOptions, plainOptions } from './context.js';
import { compileFilterWith } from './filter.js';
import { getPath, indexValues, MISSING, queryValues, setPathCopy } from './paths.js';
import { isPlainObject } from './values.js';

/**
 * `$lookup` (equality and pipeline/let forms, and both combined) and `$graphLookup` across
 * collections resolved through the `collectionResolver` option, matching values by BSON
 * equality. Foreign documents are shared, never modified.
 */

const fail = (code: number, msg: string) => new MongoCommandError(code, msg);

function resolveForeign(options: Options, from: unknown): Doc[] {
  const name = isPlainObject(from) ? from.coll : from;
  if (typeof name !== 'string') throw fail(ErrorCode.FailedToParse, "$lookup 'from' field must be a string");
  return plainOptions(options).collectionResolver?.(name) ?? [];
}

/** Foreign document positions by the equality keys of their values at `path`. */
function equalityIndex(docs: Doc[], path: string): Map<string, number[]> {
  const parts = path.split('.');
  const index = new Map<string, number[]>();
  docs.forEach((doc, i) => {
    const keys = new Set(queryValues(doc, parts, true).map((v) => valueKey(v === MISSING ? null : v)));
    for (const k of keys) {
      const list = index.get(k);
      if (list) list.push(i);
      else index.set(k, [i]);
    }
  });
  return index;
}

const LOOKUP_FIELDS = new Set(['from', 'as', 'localField', 'foreignField', 'let', 'pipeline']);

export const $lookup: StageOp = (coll, spec, options) => {
  if (!isPlainObject(spec)) throw fail(ErrorCode.FailedToParse, 'the $lookup specification must be an Object');
  for (const k of Object.keys(spec)) {
    if (!LOOKUP_FIELDS.has(k)) throw fail(ErrorCode.FailedToParse, `unknown argument to $lookup: ${k}`);
  }
  const { from, as, localField, foreignField, pipeline } = spec;
  const letSpec = spec.let;
  if (typeof as !== 'string') throw fail(ErrorCode.FailedToParse, "must specify 'as' field for a $lookup");
  if ((localField === undefined) !== (foreignField === undefined)) {
    throw fail(ErrorCode.FailedToParse, "$lookup requires both or neither of 'localField' and 'foreignField' to be specified");
  }
  if (localField !== undefined && (typeof localField !== 'string' || typeof foreignField !== 'string')) {
    throw fail(ErrorCode.FailedToParse, "$lookup argument 'localField'/'foreignField' must be a string");
  }
  if (pipeline !== undefined && !Array.isArray(pipeline)) throw fail(ErrorCode.FailedToParse, "$lookup argument 'pipeline' must be an array");
  if (letSpec !== undefined && !isPlainObject(letSpec)) throw fail(ErrorCode.FailedToParse, "$lookup argument 'let' must be an object");
  if (localField === undefined && pipeline === undefined) {
    throw fail(ErrorCode.FailedToParse, "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified");
  }
  if (from === undefined && !(Array.isArray(pipeline) && isPlainObject(pipeline[0]) && '$documents' in pipeline[0])) {
    throw fail(ErrorCode.FailedToParse, "must specify 'from' field for a $lookup");
  }
  const asParts = as.split('.');
  let foreign: Doc[] | undefined;
  let index: Map<string, number[]> | undefined;

  const matchesFor = (doc: Doc): Doc[] => {
    foreign ??= from === undefined ? [] : resolveForeign(options, from);
    if (localField === undefined) return foreign;
    index ??= equalityIndex(foreign, foreignField as string);
    const local = indexValues(doc, localField as string).found.filter((v) => v !== undefined);
    const positions = new Set<number>();
    for (const v of local.length ? local : [null]) for (const i of index.get(valueKey(v)) ?? []) positions.add(i);
    const docs = foreign;
    return [...positions].sort((a, b) => a - b).map((i) => docs[i]);
  };

  return coll.map((doc: Doc) => {
    let joined = matchesFor(doc);
    if (pipeline !== undefined) {
      const vars: Doc = {};
      for (const [name, expr] of Object.entries((letSpec as Doc | undefined) ?? {})) vars[name] = evaluate(doc, expr, options);
      joined = guard(() => new Aggregator(pipeline as Doc[], nestedOptions(options, vars)).run(joined));
    }
    return setPathCopy(doc, asParts, joined);
  });
};

const GRAPH_FIELDS = new Set([
  'from', 'as', 'startWith', 'connectFromField', 'connectToField', 'maxDepth', 'depthField', 'restrictSearchWithMatch',
]);

export const $graphLookup: StageOp = (coll, spec, options) => {
  if (!isPlainObject(spec)) throw fail(ErrorCode.FailedToParse, 'the $graphLookup specification must be an Object');
  for (const k of Object.keys(spec)) {
    if (!GRAPH_FIELDS.has(k)) throw fail(40104, `Unknown argument to $graphLookup: ${k}`);
  }
  const { from, as, startWith, connectFromField, connectToField, maxDepth, depthField, restrictSearchWithMatch } = spec;
  if (typeof from !== 'string' || typeof as !== 'string' || startWith === undefined
    || typeof connectFromField !== 'string' || typeof connectToField !== 'string') {
    throw fail(40105, 'from, as, startWith, connectFromField and connectToField must all be specified');
  }
  if (maxDepth !== undefined && (typeof maxDepth !== 'number' || !Number.isInteger(maxDepth) || maxDepth < 0)) {
    throw fail(40101, `maxDepth requires a nonnegative argument, found: ${String(maxDepth)}`);
  }
  if (depthField !== undefined && typeof depthField !== 'string') throw fail(40103, "expected string as argument for 'depthField'");
  if (restrictSearchWithMatch !== undefined && !isPlainObject(restrictSearchWithMatch)) {
    throw fail(40185, "expected an object as specification for 'restrictSearchWithMatch' field");
  }
  const asParts = as.split('.');
  const fromParts = connectFromField.split('.');
  const depthParts = depthField?.split('.');
  let candidates: Doc[] | undefined;
  let index: Map<string, number[]> | undefined;

  return coll.map((doc: Doc) => {
    if (!candidates) {
      const all = resolveForeign(options, from);
      const restrict = restrictSearchWithMatch ? compileFilterWith(restrictSearchWithMatch as Doc, options) : undefined;
      candidates = restrict ? all.filter(restrict) : all;
      index = equalityIndex(candidates, connectToField);
    }
    const docs = candidates;
    const start = evaluate(doc, startWith, options);
    let frontier: unknown[] = start === undefined ? [] : Array.isArray(start) ? start : [start];
    const visited = new Map<string, { doc: Doc; depth: number }>();
    const queried = new Set<string>();
    for (let depth = 0; frontier.length && (maxDepth === undefined || depth <= (maxDepth as number)); depth++) {
      const next: unknown[] = [];
      for (const value of frontier) {
        const key = valueKey(value);
        if (queried.has(key)) continue;
        queried.add(key);
        for (const i of index?.get(key) ?? []) {
          const found = docs[i];
          const id = valueKey(found._id);
          if (visited.has(id)) continue;
          visited.set(id, { doc: found, depth });
          const from = getPath(found, fromParts);
          if (Array.isArray(from)) next.push(...from);
          else if (from !== undefined) next.push(from);
        }
      }
      frontier = next;
    }
    const result = [...visited.values()].map((v) => (depthParts ? setPathCopy(v.doc, depthParts, v.depth) : v.doc));
    return setPathCopy(doc, asParts, result);
  });
};
