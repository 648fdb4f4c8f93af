import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import * as accumulatorOps from 'mingo/operators/accumulator';
import * as expressionOps from 'mingo/operators/expression';
import * as pipelineOps from 'mingo/operators/pipeline';
import * as projectionOps from 'mingo/operators/projection';
import * as queryOps from 'mingo/operators/query';
import * as windowOps from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import { badValue, ErrorCode, MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { accumulatorOverrides, expressionOverrides } from './expr-ops.js';
import { queryOverrides } from './query-ops.js';
import { stageOverrides } from './stages.js';
import { isPlainObject } from './values.js';

/**
 * The mingo wiring: one `Context` holding mingo's full operator set with our MongoDB-faithful
 * overrides on top, the options every Query/Aggregator gets, and translation of mingo's errors
 * into mongod's `MongoCommandError`s.
 *
 * mingo's `Context.from`/`addOps` keep the *first* registration of a name, and the default
 * `mingo` entry point merges its own context first, so overrides only win when we build the
 * context ourselves from the operator modules (and use `mingo/query`, `mingo/aggregator`).
 */

type ContextOps = Parameters<typeof Context.init>[0];

let context: Context | undefined;

/** Built lazily: the override modules import this one, so nothing here may run at load time. */
export function mingoContext(): Context {
  context ??= Context.init({
    accumulator: { ...accumulatorOps, ...accumulatorOverrides },
    expression: { ...expressionOps, ...expressionOverrides },
    pipeline: { ...pipelineOps, ...stageOverrides },
    projection: { ...projectionOps },
    query: { ...queryOps, ...queryOverrides },
    window: { ...windowOps },
  } as unknown as ContextOps);
  return context;
}

export interface EngineOptions {
  /** Resolves `from`/`coll` names of $lookup, $graphLookup and $unionWith; unknown names → []. */
  resolveCollection?: (name: string) => Doc[];
  /** Variables visible as `$$name` in expressions (`let` of find/aggregate/update commands). */
  variables?: Doc;
}

/** mingo options for a top-level Query or Aggregator. */
export function mingoOptions(opts?: EngineOptions): Partial<Options> {
  const resolve = opts?.resolveCollection;
  return {
    context: mingoContext(),
    collectionResolver: (name: string) => (resolve ? resolve(name) : []),
    variables: opts?.variables,
    useStrictMode: true,
    scriptEnabled: false,
    failOnError: true,
    processingMode: ProcessingMode.CLONE_OFF,
  };
}

/** The plain options behind a mingo `ComputeOptions` (what operators receive), or `options`. */
export function plainOptions(options: Options): Options {
  const inner = (options as { options?: Options }).options;
  return inner && typeof inner === 'object' && 'context' in inner ? inner : options;
}

/** Plain options for a nested pipeline, carrying the outer variables plus `extra`. */
export function nestedOptions(options: Options, extra?: Doc): Partial<Options> {
  const plain = plainOptions(options);
  const local = (options as { local?: { variables?: Doc } }).local?.variables;
  const variables = { ...(plain.variables ?? {}), ...(local ?? {}), ...(extra ?? {}) };
  return { ...plain, variables };
}

/**
 * Evaluates an aggregation expression against `doc`. Object and array literals are cleaned the
 * way mongod builds them: missing fields are omitted from objects and become null in arrays.
 */
export function evaluate(doc: unknown, expr: unknown, options: Options | Partial<Options>): unknown {
  return clean(expr, evalExpr(doc, expr, options as Options));
}

function clean(expr: unknown, value: unknown): unknown {
  if (Array.isArray(expr) && Array.isArray(value)) {
    return value.map((v, i) => (v === undefined ? null : clean(expr[i], v)));
  }
  if (isPlainObject(expr) && isPlainObject(value)) {
    const keys = Object.keys(expr);
    if (keys.length === 0 || keys[0].startsWith('$')) return value;
    const out: Doc = {};
    for (const k of Object.keys(value)) if (value[k] !== undefined) out[k] = clean(expr[k], value[k]);
    return out;
  }
  return value;
}

const mongoError = (code: number, msg: string) => new MongoCommandError(code, msg);

/** Converts anything thrown by mingo (or JS itself) into the error mongod would answer with. */
export function toMongoError(e: unknown): MongoCommandError {
  if (e instanceof MongoCommandError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  let m: RegExpExecArray | null;
  if ((m = /^unknown query operator (\S+)/.exec(msg))) return badValue(`unknown operator: ${m[1]}`);
  if ((m = /^unknown top level operator: (\S+)/.exec(msg))) return badValue(`unknown top level operator: ${m[1]}`);
  if ((m = /^unregistered pipeline operator (\$[^.\s]+)/.exec(msg))) {
    return mongoError(ErrorCode.LocationNotFound, `Unrecognized pipeline stage name: '${m[1]}'`);
  }
  if (/^aggregation stage must have single operator/.test(msg)) {
    return mongoError(40323, 'A pipeline stage specification object must contain exactly one field.');
  }
  if ((m = /^accumulator '(\S+)' is not registered/.exec(msg))) return mongoError(168, `Unrecognized expression '${m[1]}'`);
  if ((m = /^Use of undefined variable: (\S+)/.exec(msg))) return mongoError(17276, `Use of undefined variable: ${m[1]}`);
  if (e instanceof SyntaxError && /regular expression/i.test(msg)) {
    return mongoError(51091, `Regular expression is invalid: ${msg}`);
  }
  return badValue(msg.replace(/^mingo:\s*/, ''));
}

/** Runs `fn`, rethrowing any failure as a `MongoCommandError`. */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw toMongoError(e);
  }
}
