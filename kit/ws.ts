import type { Server } from 'node:http';
import type { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLSchema } from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { GraphQLError, parse, validate } from './graphql-cjs.js';
import { LruMap } from './lru-map.js';
import { coalesceSends } from './ws-coalesce.js';

export interface GraphQLWsOptions<C> {
  schema: GraphQLSchema;
  /** Builds the context of one operation (a subscription keeps it for its whole life). */
  context: () => Promise<C> | C;
  /** Path the WebSocket upgrade is accepted on. */
  path?: string;
}

export interface RunningGraphQLWs {
  /** Completes every subscription (their iterators' `return()` runs) and closes every socket. */
  close(): Promise<void>;
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof (value as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';

/**
 * A result with errors and no `data` entry is a request that never ran (e.g. a subscription
 * whose resolver refused the arguments). graphql-ws would send it as `next` + `complete`; the
 * protocol's answer to a refused operation is an `error` message, which clients (and our
 * gateway) surface as such. graphql-ws turns an iterator failure into that `error` message,
 * keeping the error's message and `extensions` (code, field…).
 */
function refusedAsError(result: ExecutionResult): AsyncIterableIterator<never> {
  const errors = result.errors ?? [];
  const reason = errors.length === 1 ? errors[0] : Object.assign(new Error(errors.map((e) => e.message).join('; ')), { extensions: errors[0]?.extensions });
  return {
    next: () => Promise.reject(reason),
    return: () => Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** Distinct valid documents remembered per server: a gateway sends one per planned subscription. */
const VALIDATED_DOCUMENTS = 500;

/**
 * Parses and validates each distinct document once. A gateway sends every subscription to an
 * order in the same document, only the variables differ; parsing and validating it against a
 * subgraph schema costs about half a millisecond, all synchronous, so a burst of 200
 * subscriptions arriving in one packet held the event loop (and every event due meanwhile)
 * for 100 ms. A document that fails is not remembered: it comes back as errors each time.
 */
function validatedDocuments(schema: GraphQLSchema) {
  const valid = new LruMap<string, DocumentNode>(VALIDATED_DOCUMENTS);
  return (payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] => {
    let document = valid.get(payload.query);
    if (!document) {
      try {
        document = parse(payload.query);
      } catch (err) {
        return [err instanceof GraphQLError ? err : new GraphQLError(String(err))];
      }
      const errors = validate(schema, document);
      if (errors.length > 0) return errors;
      valid.set(payload.query, document);
    }
    return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
  };
}

/**
 * Serves GraphQL over WebSocket (the graphql-transport-ws protocol) on an existing HTTP server,
 * so queries (POST) and subscriptions (upgrade) share one port and one path. Transport only:
 * the schema and context come from the caller.
 */
export function serveGraphQLWs<C>(server: Server, opts: GraphQLWsOptions<C>): RunningGraphQLWs {
  const wss = new WebSocketServer({ server, path: opts.path ?? '/graphql' });
  coalesceSends(wss);
  const prepare = validatedDocuments(opts.schema);
  const disposable = useServer(
    {
      schema: opts.schema,
      onSubscribe: (_ctx, _id, payload) => prepare(payload),
      context: () => opts.context() as Promise<Record<string, unknown>>,
      onOperation: async (_ctx, _id, _payload, _args, pending) => {
        const result = await pending;
        return !isAsyncIterable(result) && result.errors?.length && !('data' in result) ? refusedAsError(result) : result;
      },
    },
    wss,
  );
  let closed: Promise<void> | undefined;
  return { close: () => (closed ??= Promise.resolve(disposable.dispose())) };
}
