import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type mongoose from 'mongoose';
import type { AppConfig, SubgraphName } from './config.js';
import type { World } from '../seed/world.js';
import { connectDatabase, requestScope } from './db.js';
import { listenGraphQL, type RunningHttp } from './http.js';
import { createOutboxFeed } from './outbox/feed.js';
import { serveGraphQLWs, type RunningGraphQLWs } from './ws.js';

/** What every resolver receives: the subgraph's models, per-request loaders and config. */
export interface SubgraphContext<M = unknown, L = unknown> {
  models: M;
  loaders: L;
  config: AppConfig;
}

/**
 * The module every subgraph exports. Only `main` listens, so tests and the one-process
 * runner can compose and start subgraphs in-process.
 */
export interface SubgraphModule<M = unknown, L = unknown> {
  name: SubgraphName;
  typeDefs: DocumentNode;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: GraphQLResolverMap<any>;
  /** Binds the subgraph's mongoose models to its own connection. */
  createModels(conn: mongoose.Connection): M;
  /** Fresh DataLoaders for one request. */
  createLoaders(models: M, config: AppConfig): L;
  /**
   * Optional, run once after the models' indexes are built and before serving: idempotent
   * one-off storage migrations (e.g. dropping an index a schema no longer declares).
   */
  prepare?(models: M): Promise<void>;
  /**
   * Optional fields every resolver context gets besides models, loaders and config: process-wide
   * state of this running subgraph (a replica, an ingest queue), called per request so it must be
   * a cheap lookup (e.g. a registry keyed by `models`).
   */
  contextExtras?(models: M, config: AppConfig): object;
  /**
   * Optional plain-HTTP POST endpoints served next to `/graphql`, `/health` and `/events`, e.g.
   * `{ '/alarms': handler }` for a bulk NDJSON feed that a GraphQL request would be too small
   * or too slow for. Built once when the subgraph starts.
   */
  routes?(deps: RouteDeps<M>): Record<string, RouteHandler>;
  /** Stores this subgraph's part of the demo world through its own models (idempotent upserts or bulk inserts into empty collections). */
  seed(models: M, world: World, log?: (msg: string) => void): Promise<void>;
  /**
   * Optional long-running work of the subgraph (outbox consumers, sagas; not run by processes
   * started with BACKGROUND_WORK=off): started once the
   * subgraph serves (its own feed and API must answer), stopped first when it stops, while the
   * database connection is still open.
   */
  background?(deps: BackgroundDeps<M>): Promise<BackgroundWork>;
}

/** What a subgraph's `background` work gets. */
export interface BackgroundDeps<M = unknown> {
  models: M;
  /** Shared and read late on purpose: other subgraphs' URLs may be filled in after this one started. */
  config: AppConfig;
  /** The subgraph's own database connection (cursors, dedupe markers, transactions). */
  conn: mongoose.Connection;
  log: (msg: string) => void;
}

/** What a subgraph's `routes` get. */
export interface RouteDeps<M = unknown> {
  models: M;
  /** Shared and read late, as for background work. */
  config: AppConfig;
  log: (msg: string) => void;
}

/**
 * Answers one POST request: reads the body itself (streaming is allowed, there is no size cap
 * here) and writes the whole response. A throw before anything was written is answered 500.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Running background work; `stop` resolves once nothing of it runs any more. */
export interface BackgroundWork {
  stop(): Promise<void>;
}

export interface StartSubgraphOptions {
  /** Where background work and the outbox feed report problems; console by default. */
  log?: (msg: string) => void;
}

export function buildSchema<M, L>(module: SubgraphModule<M, L>): GraphQLSchema {
  return buildSubgraphSchema([{ typeDefs: module.typeDefs, resolvers: module.resolvers }]);
}

/**
 * Subscriptions run over graphql-ws only: executed over HTTP they would resolve once, without an
 * event, into a confusing null error. Refuse them with a 400 that says where to go.
 */
const noSubscriptionsOverHttp: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError('subscriptions are served over graphql-ws (a WebSocket on /graphql), not over HTTP', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
      },
    };
  },
};

/** Development only: how many database commands the request issued (N+1 detector). */
const dbCommandsPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        const scope = requestScope.getStore();
        if (scope && response.body.kind === 'single') {
          response.body.singleResult.extensions = { ...response.body.singleResult.extensions, dbCommands: scope.dbCommands };
        }
      },
    };
  },
};

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  conn: mongoose.Connection;
  stop(): Promise<void>;
}

/**
 * Connects the subgraph to its database and serves it on `/graphql`: queries and mutations over
 * HTTP, subscriptions over graphql-ws (WebSocket upgrade on the same port), one schema for both;
 * its outbox feed on `GET /events`; the module's `routes` (POST). Then starts the module's
 * `background` work, if any.
 */
export async function startSubgraph<M, L>(
  module: SubgraphModule<M, L>,
  config: AppConfig,
  mongoUri: string,
  port = config.subgraphs[module.name].port,
  options: StartSubgraphOptions = {},
): Promise<RunningSubgraph> {
  const log = options.log ?? ((msg: string) => console.log(`[${module.name}] ${msg}`));
  const conn = await connectDatabase(mongoUri, module.name, { countCommands: config.development });
  const models = module.createModels(conn);
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
  await module.prepare?.(models);
  const schema = buildSchema(module);
  const context = (): SubgraphContext<M, L> => ({ ...module.contextExtras?.(models, config), models, loaders: module.createLoaders(models, config), config });
  const apollo = new ApolloServer<SubgraphContext<M, L>>({
    schema,
    // Inline tracing is for Apollo Studio, which we do not use; it only adds noise and cost.
    plugins: [ApolloServerPluginInlineTraceDisabled(), noSubscriptionsOverHttp, ...(config.development ? [dbCommandsPlugin] : [])],
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (kit/shutdown.ts): Apollo's own signal handlers would stop servers behind
    // our back and re-raise the signal mid-shutdown.
    stopOnTerminationSignals: false,
    introspection: true,
  });
  await apollo.start();
  let http: RunningHttp | undefined;
  let ws: RunningGraphQLWs | undefined;
  let background: BackgroundWork | undefined;
  try {
    http = await listenGraphQL(apollo, {
      host: config.host,
      port,
      context: async (_req: IncomingMessage) => context(),
      health: async () => conn.readyState === 1,
      countCommands: config.development,
      events: createOutboxFeed(conn, log),
      routes: module.routes?.({ models, config, log }),
    });
    // Each subscription gets its own context (and loaders) for its whole life.
    ws = serveGraphQLWs(http.server, { schema, context });
    if (config.backgroundWork) background = await module.background?.({ models, config, conn, log });
  } catch (err) {
    await ws?.close();
    await http?.close();
    await apollo.stop();
    await conn.close();
    throw err;
  }
  const running = { http, ws };
  let stopped: Promise<void> | undefined;
  return {
    name: module.name,
    url: running.http.url,
    conn,
    // Idempotent: tests stop a subgraph to simulate an outage, then the stack stops it again.
    stop: () =>
      (stopped ??= (async () => {
        // Background work first: consumers and sagas may still write, and read other
        // subgraphs' feeds. Then subscriptions and feeds: completing them closes their change
        // streams while the database connection is still open.
        await background?.stop();
        await running.ws.close();
        await running.http.close();
        await apollo.stop();
        await conn.close();
      })()),
  };
}
