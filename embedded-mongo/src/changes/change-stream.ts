import { Timestamp } from 'bson';
import { ErrorCode, MongoCommandError, notImplemented } from '../errors.js';
import { runPipeline } from '../query/aggregate.js';
import { compileFilter } from '../query/filter.js';
import type { Catalog } from '../storage/catalog.js';
import type { Doc } from '../types.js';
import type { CursorSource } from '../commands/cursors.js';
import { invalidateEvent, invalidates, inScope, toEvent, type FullDocumentMode, type StreamScope } from './events.js';
import type { Oplog } from './oplog.js';
import { decodeToken, encodeToken } from './resume-token.js';

const STAGES_AFTER_CHANGE_STREAM = new Set(['$match', '$project', '$addFields', '$set', '$unset', '$replaceRoot', '$replaceWith', '$redact']);
const KNOWN_OPTIONS = new Set(['fullDocument', 'fullDocumentBeforeChange', 'resumeAfter', 'startAfter', 'startAtOperationTime', 'allChangesForCluster', 'showExpandedEvents']);
const DEFAULT_AWAIT_MS = 1000;

export interface ChangeStreamSpec {
  scope: StreamScope;
  mode: FullDocumentMode;
  after: number;
  pipeline: Doc[];
}

/** Parses `{ $changeStream: {...} }` plus the stages after it, validating like mongod. */
export function parseChangeStream(stage: Doc, rest: Doc[], scope: Omit<StreamScope, 'showExpandedEvents'>, oplog: Oplog): ChangeStreamSpec {
  for (const key of Object.keys(stage)) {
    if (!KNOWN_OPTIONS.has(key)) throw new MongoCommandError(ErrorCode.Location40415, `BSON field '$changeStream.${key}' is an unknown field.`);
  }
  const before = stage.fullDocumentBeforeChange;
  if (before !== undefined && before !== 'off') throw notImplemented(`fullDocumentBeforeChange: '${String(before)}'`);
  const mode = (stage.fullDocument ?? 'default') as FullDocumentMode;
  if (!['default', 'updateLookup', 'whenAvailable', 'required'].includes(mode)) {
    throw new MongoCommandError(ErrorCode.BadValue, `unknown full document mode: ${String(mode)}`);
  }
  for (const s of rest) {
    const name = Object.keys(s)[0];
    if (!STAGES_AFTER_CHANGE_STREAM.has(name)) {
      throw new MongoCommandError(ErrorCode.IllegalOperation, `${name} is not permitted in a $changeStream pipeline`);
    }
  }
  return { scope: { ...scope, showExpandedEvents: stage.showExpandedEvents === true }, mode, after: startPoint(stage, oplog), pipeline: rest };
}

function startPoint(stage: Doc, oplog: Oplog): number {
  const token = stage.resumeAfter ?? stage.startAfter;
  let after = oplog.lastSeq;
  if (token !== undefined) {
    const decoded = decodeToken(token);
    if (decoded.invalidate && stage.resumeAfter !== undefined) {
      throw new MongoCommandError(ErrorCode.InvalidResumeToken, 'Attempting to resume a change stream using \'resumeAfter\' is not allowed from an invalidate notification.');
    }
    after = decoded.seq;
  } else if (stage.startAtOperationTime instanceof Timestamp) {
    after = oplog.seqBeforeTime(stage.startAtOperationTime);
  }
  if (after + 1 < oplog.oldestSeq) {
    throw new MongoCommandError(ErrorCode.ChangeStreamHistoryLost, 'Resume of change stream was not possible, as the resume point may no longer be in the oplog.');
  }
  return after;
}

/**
 * A tailing cursor over the oplog. getMore returns the events after its position, waiting up
 * to maxTimeMS for new ones (awaitData). The position advances past filtered-out entries too,
 * so postBatchResumeToken always tells the driver how far the stream has read.
 */
export function changeStreamSource(spec: ChangeStreamSpec, oplog: Oplog, catalog: Catalog): CursorSource {
  let position = spec.after;
  let closed = false;
  const pipeline = compilePipeline(spec.pipeline);
  const collect = (limit: number): Doc[] => {
    const batch: Doc[] = [];
    const { entries, start } = oplog.after(position);
    for (let i = start; i < entries.length; i++) {
      const entry = entries[i];
      if (batch.length >= limit) break;
      position = entry.seq;
      if (!inScope(spec.scope, entry)) continue;
      const out = pipeline(toEvent(entry, spec.mode, catalog));
      if (out) batch.push(out);
      if (invalidates(spec.scope, entry)) {
        batch.push(invalidateEvent(entry));
        closed = true;
        break;
      }
    }
    if (batch.length < limit && !closed) position = Math.max(position, oplog.lastSeq);
    return batch;
  };
  return {
    async next(limit, maxTimeMS) {
      // Like mongod, a getMore waits until an event passes the stream's filter (or its time is
      // up): entries that others' filters match but ours does not must not end the wait, or
      // every insert would wake every waiting stream into an empty round trip.
      const deadline = Date.now() + (maxTimeMS ?? DEFAULT_AWAIT_MS);
      let batch = collect(limit);
      while (!batch.length && !closed && maxTimeMS !== 0) {
        const left = deadline - Date.now();
        if (left <= 0) break;
        await oplog.waitForChange(left);
        batch = collect(limit);
      }
      return batch;
    },
    exhausted: () => closed,
    extra: () => ({ postBatchResumeToken: encodeToken(position) }),
  };
}

/**
 * The stream's pipeline as a function of one event, built once per stream: `$match` stages (the
 * usual `{ operationType: 'insert' }`) become compiled predicates and an inclusion `$project` of
 * top-level fields (`{ fullDocument: 1 }`: only what the reader uses goes over the wire) a pick,
 * since building a mingo Aggregator per event copies mingo's whole operator table every time.
 * Other pipelines run through mingo.
 */
function compilePipeline(pipeline: Doc[]): (event: Doc) => Doc | undefined {
  if (pipeline.length === 0) return (event) => event;
  const steps = pipeline.map(simpleStep);
  if (steps.some((s) => !s)) return (event) => transform(event, pipeline);
  return (event) => {
    let out: Doc | undefined = event;
    for (const step of steps) if (!(out = step!(out))) return undefined;
    return out;
  };
}

const isObject = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A `$match`, or an inclusion `$project` of plain top-level names keeping `_id`, as a function; undefined for anything else. */
function simpleStep(stage: Doc): ((event: Doc) => Doc | undefined) | undefined {
  const [name] = Object.keys(stage);
  const spec = stage[name];
  if (name === '$match' && isObject(spec)) {
    const test = compileFilter(spec);
    return (event) => (test(event) ? event : undefined);
  }
  if (name !== '$project' || !isObject(spec)) return undefined;
  const fields = Object.keys(spec);
  if (!fields.length || !fields.every((f) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(f) && (spec[f] === 1 || spec[f] === true))) return undefined;
  const keep = new Set(['_id', ...fields]);
  return (event) => {
    // The event's own field order, as mongod's inclusion projection keeps it.
    const out: Doc = {};
    for (const f of Object.keys(event)) if (keep.has(f)) out[f] = event[f];
    return out;
  };
}

function transform(event: Doc, pipeline: Doc[]): Doc | undefined {
  const [out] = runPipeline([event], pipeline, { resolveCollection: () => [] });
  if (!out) return undefined;
  const id = out._id as Doc | undefined;
  if (!id || id._data !== (event._id as Doc)._data) {
    throw new MongoCommandError(ErrorCode.ChangeStreamFatalError, 'Encountered an event whose _id field, which contains the resume token, was modified by the pipeline. Modifying the _id field of an event makes it impossible to resume the stream from that point. Only transformations that retain the unmodified _id field are allowed.');
  }
  return out;
}
