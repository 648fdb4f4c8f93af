import { Aggregator } from 'mingo/aggregator';
import { MongoCommandError } from '../errors.js';
import type { Doc } from '../types.js';
import { guard, mingoOptions } from './context.js';
import { isPlainObject } from './values.js';

/**
 * Aggregation pipelines on mingo's Aggregator with our BSON-aware, copy-on-write stages.
 * Input documents (and documents of collections reached through `resolveCollection`) are never
 * modified; output documents may share unchanged subtrees with them, so treat results as
 * read-only (or clone before mutating).
 */

export interface PipelineOptions {
  /** Documents of another collection of the same database ($lookup, $graphLookup, $unionWith). */
  resolveCollection: (name: string) => Doc[];
  /** `let` variables of the aggregate command, visible as `$$name`. */
  variables?: Doc;
}

/** Validates the shape of a pipeline: an array of single-field stage objects. */
export function validatePipeline(pipeline: unknown): asserts pipeline is Doc[] {
  if (!Array.isArray(pipeline)) {
    throw new MongoCommandError(14, "'pipeline' option must be specified as an array");
  }
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) {
      throw new MongoCommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
    }
  }
}

export function runPipeline(docs: Iterable<Doc> | Doc[], pipeline: Doc[], opts: PipelineOptions): Doc[] {
  validatePipeline(pipeline);
  if (!pipeline.length) return Array.from(docs);
  return guard(() => new Aggregator(pipeline, mingoOptions(opts)).run<Doc>(docs));
}
