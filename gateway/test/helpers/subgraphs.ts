import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError, parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { listenGraphQL } from '../../../kit/http.js';

/** A real federated subgraph (HTTP + graphql-ws on `/graphql`) built from SDL, on a free port. */
export interface TestSubgraph {
  name: string;
  url: string;
  sdl: string;
  /** Closes sockets like a subgraph going down (graphql-ws clients see 1001), then the server. */
  stop(): Promise<void>;
}

type SubscribeHook = (variables: Record<string, unknown>) => readonly GraphQLError[] | void;

/** Serves `sdl` + `resolvers`; `onSubscribe` may refuse an operation (graphql-ws `error`). */
export async function serveSubgraph(name: string, sdl: string, resolvers: GraphQLResolverMap<unknown>, onSubscribe?: SubscribeHook): Promise<TestSubgraph> {
  const schema = buildSubgraphSchema([{ typeDefs: parse(sdl), resolvers }]);
  const apollo = new ApolloServer({ schema, stopOnTerminationSignals: false, plugins: [ApolloServerPluginInlineTraceDisabled()] });
  await apollo.start();
  const http = await listenGraphQL(apollo, { host: '127.0.0.1', port: 0, context: async () => ({}), health: async () => true });
  const wss = new WebSocketServer({ noServer: true });
  (http.server as Server).on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
  const ws = useServer(
    { schema, onSubscribe: onSubscribe && ((_ctx, _id, payload) => onSubscribe(payload.variables ?? {}) ?? undefined) },
    wss,
  );
  let stopped: Promise<void> | undefined;
  return {
    name,
    url: http.url,
    sdl,
    stop: () =>
      (stopped ??= (async () => {
        await ws.dispose();
        for (const client of wss.clients) client.terminate();
        await http.close();
        await apollo.stop();
      })()),
  };
}

/**
 * A source stream whose `return()` takes effect at once (graphql-js calls it when the gateway
 * sends `complete`; an async generator parked in `await` would only see it at the next event).
 */
export function channel<T>(onClose: () => void): { push(value: T): void; iterator: AsyncIterableIterator<T> } {
  const queue: T[] = [];
  let wake: ((r: IteratorResult<T>) => void) | undefined;
  let done = false;
  const iterator: AsyncIterableIterator<T> = {
    next: () => {
      if (done) return Promise.resolve({ done: true, value: undefined });
      if (queue.length) return Promise.resolve({ done: false, value: queue.shift()! });
      return new Promise((resolve) => (wake = resolve));
    },
    return: () => {
      if (!done) {
        done = true;
        onClose();
        wake?.({ done: true, value: undefined });
      }
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return {
    push(value) {
      if (done) return;
      if (wake) {
        const w = wake;
        wake = undefined;
        w({ done: false, value });
      } else queue.push(value);
    },
    iterator,
  };
}
