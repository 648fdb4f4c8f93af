import { GraphQLError } from 'graphql';
import { AdapterError } from './adapters/index.js';

/**
 * Why a saga step did not succeed, sorted into what the saga does about it: a permanent failure
 * (the network or inventory refused: capacity, conflict, injected fault) fails the item and
 * compensates at once; a transient one (an outage, a retryable element error) is retried with
 * backoff until the step's deadline.
 */
export class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

/** Codes another subgraph answers with when it refuses the request itself: retrying cannot help. */
const REFUSALS = new Set(['CONFLICT', 'RESOURCE_UNAVAILABLE', 'NOT_FOUND', 'BAD_USER_INPUT']);

/** A GraphQL error answer (code kept) as a StepFailure. */
export function refusal(code: string | undefined, message: string): StepFailure {
  return new StepFailure(code ?? 'INTERNAL_SERVER_ERROR', message, code !== undefined && REFUSALS.has(code));
}

/** Any error thrown by a step, classified. Unknown errors are transient: a bug surfaces as a jeopardy, not as a silent failure. */
export function classify(err: unknown): StepFailure {
  if (err instanceof StepFailure) return err;
  if (err instanceof AdapterError) return new StepFailure(err.code, err.message, !err.retryable);
  if (err instanceof GraphQLError) return refusal(typeof err.extensions.code === 'string' ? err.extensions.code : undefined, err.message);
  return new StepFailure('INTERNAL_ERROR', (err as Error)?.message ?? String(err), false);
}
