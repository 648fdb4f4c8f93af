import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ExecutionArgs, ExecutionResult, FormattedExecutionResult, GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { coalesceSends } from '../../kit/ws-coalesce.js';
import type { SubscriptionExecutor } from './executor.js';
import { GraphQLError } from '../../kit/graphql-cjs.js';
import type { OperationRequest, Prepared } from './planner.js';

/** Runs a query or mutation that arrived over the WebSocket through the normal gateway. */
export type ExecuteOperation = (request: OperationRequest) => Promise<FormattedExecutionResult>;

export interface SubscriptionServerOptions {
  executor: SubscriptionExecutor;
  executeOperation: ExecuteOperation;
  /** The HTTP path that upgrades to graphql-ws. */
  path?: string;
  /** Largest WebSocket message accepted (same bound as an HTTP request body). */
  maxPayloadBytes?: number;
}

export interface SubscriptionServer {
  /** Client sockets currently open. */
  readonly clients: number;
  /** Closes every client socket (1001) and with them every upstream subscription. */
  close(): Promise<void>;
}

/**
 * graphql-ws serialises errors with `toJSON()`, which formatted errors (results of queries run
 * by ApolloServer) lack; duck-typed because gateway errors may come from any graphql copy.
 */
function formatResult(result: ExecutionResult | FormattedExecutionResult): FormattedExecutionResult {
  const { errors, ...rest } = result;
  if (!errors) return rest;
  return { ...rest, errors: errors.map((e) => ('toJSON' in e && typeof e.toJSON === 'function' ? (e.toJSON() as GraphQLFormattedError) : e)) };
}

/**
 * Serves graphql-ws (`graphql-transport-ws`) on `path` of the gateway's own HTTP server.
 *
 * Protocol notes: everything that can be wrong with an operation is found in `onSubscribe`,
 * because only errors returned there become an `error` message for that operation with the
 * socket left open (a throw from `subscribe` would close the socket with 4500). Failures after
 * the subscription started surface as the stream throwing, which graphql-ws also turns into an
 * `error` message for that operation. Queries and mutations are executed through ApolloServer.
 */
export function attachSubscriptionServer(httpServer: Server, opts: SubscriptionServerOptions): SubscriptionServer {
  const path = opts.path ?? '/graphql';
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayloadBytes ?? 2 * 1024 * 1024 });
  coalesceSends(wss);
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  httpServer.on('upgrade', onUpgrade);

  const server = useServer(
    {
      onSubscribe: (_ctx, _id, payload) => {
        const prepared = opts.executor.prepare(payload);
        if (prepared.kind === 'invalid') return prepared.errors;
        const args: ExecutionArgs = {
          schema: opts.executor.planner.schema,
          document: prepared.document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          // graphql-ws hands these args to `subscribe`/`execute`: the plan travels with them.
          contextValue: prepared,
        };
        return args;
      },
      subscribe: (args) => {
        const prepared = args.contextValue as Prepared;
        if (prepared.kind !== 'subscription') return { errors: [new GraphQLError('not a subscription')] };
        return opts.executor.subscribe(prepared);
      },
      execute: async (args) => {
        const prepared = args.contextValue as Prepared;
        if (prepared.kind !== 'operation') return { errors: [new GraphQLError('not a query or mutation')] };
        try {
          // Already formatted (ApolloServer did it); `onNext` passes formatted errors through.
          return (await opts.executeOperation(prepared.request)) as ExecutionResult;
        } catch (err) {
          return { errors: [new GraphQLError(`the operation failed: ${(err as Error).message}`)] };
        }
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result),
    },
    wss,
  );

  return {
    get clients() {
      return wss.clients.size;
    },
    async close() {
      httpServer.off('upgrade', onUpgrade);
      const sockets = [...wss.clients];
      await server.dispose();
      // dispose() starts a 1001 close handshake; a peer that never answers would keep the
      // upgraded TCP socket (and so the HTTP server's close) waiting, so it gets a second.
      const closing = sockets.filter((s) => s.readyState !== s.CLOSED);
      const gone = Promise.all(closing.map((s) => new Promise((resolve) => s.once('close', resolve))));
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
      for (const s of closing) s.terminate();
    },
  };
}
