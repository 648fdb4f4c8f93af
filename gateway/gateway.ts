import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { AppConfig, SubgraphName } from '../kit/config.js';
import { listenGraphQL, type RunningHttp } from '../kit/http.js';
import { composeSupergraph } from '../schema/compose.js';
import type { GatewayContext } from './context.js';
import { SubgraphDataSource } from './data-source.js';
import { SubscriptionExecutor } from './subscriptions/executor.js';
import { attachSubscriptionServer, type SubscriptionServer } from './subscriptions/server.js';

export interface RunningGateway {
  url: string;
  port: number;
  apollo: ApolloServer<GatewayContext>;
  http: RunningHttp;
  /** graphql-ws on the same `/graphql` path: federated subscriptions. */
  subscriptions: SubscriptionServer;
  executor: SubscriptionExecutor;
  stop(): Promise<void>;
}

/** Development: the per-subgraph database command counts of the request, for N+1 checks. */
const dbCommandsPlugin: ApolloServerPlugin<GatewayContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || !contextValue.dbCommands) return;
        const perSubgraph = contextValue.dbCommands;
        const total = Object.values(perSubgraph).reduce((a, b) => a + b, 0);
        response.body.singleResult.extensions = { ...response.body.singleResult.extensions, dbCommands: { total, ...perSubgraph } };
      },
    };
  },
};

export interface GatewayOptions {
  port?: number;
  urls?: Partial<Record<SubgraphName, string>>;
  /** Serve this supergraph instead of the one composed from schema/*.graphql (tests). */
  supergraphSdl?: string;
}

/** URLs come from config, not from the supergraph's defaults, so each deployment wires its own. */
function subgraphUrls(config: AppConfig, urls: Partial<Record<SubgraphName, string>> = {}): Record<SubgraphName, string> {
  return Object.fromEntries(Object.entries(config.subgraphs).map(([name, s]) => [name, urls[name as SubgraphName] ?? s.url])) as Record<SubgraphName, string>;
}

/** Where the gateway opens each subgraph's subscriptions: its own instances when configured, else where its queries go. */
function subscriptionUrls(config: AppConfig, urls: Record<SubgraphName, string>): Record<SubgraphName, string> {
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, config.subgraphs[name as SubgraphName].subscriptionUrl ?? url])) as Record<SubgraphName, string>;
}

/** One data source per subgraph, shared by query execution and subscription event expansion. */
function createDataSources(config: AppConfig, urls: Record<SubgraphName, string>): Record<string, SubgraphDataSource> {
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, new SubgraphDataSource(name, url, config.subgraphTimeoutMs)]));
}

export function createGateway(supergraphSdl: string, dataSources: Record<string, SubgraphDataSource>): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl,
    buildService: ({ name }) => {
      const source = dataSources[name];
      if (!source) throw new Error(`the supergraph names subgraph '${name}', which the gateway has no URL for`);
      return source;
    },
  });
}

/** Composes the supergraph from schema/*.graphql (no introspection round trips) and serves it. */
export async function startGateway(config: AppConfig, opts: GatewayOptions = {}): Promise<RunningGateway> {
  const supergraphSdl = opts.supergraphSdl ?? composeSupergraph();
  const urls = subgraphUrls(config, opts.urls);
  const dataSources = createDataSources(config, urls);
  const apollo = new ApolloServer<GatewayContext>({
    gateway: createGateway(supergraphSdl, dataSources),
    plugins: config.development ? [dbCommandsPlugin] : [],
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (kit/shutdown.ts): Apollo's own signal handlers would stop servers behind
    // our back and re-raise the signal mid-shutdown.
    stopOnTerminationSignals: false,
    introspection: true,
  });
  await apollo.start();
  const http = await listenGraphQL(apollo, {
    host: config.host,
    port: opts.port ?? config.gatewayPort,
    context: async () => (config.development ? { dbCommands: {} } : {}),
    health: async () => true,
  });
  const executor = new SubscriptionExecutor({ supergraphSdl, dataSources, urls: subscriptionUrls(config, urls), connectTimeoutMs: config.subgraphTimeoutMs });
  const subscriptions = attachSubscriptionServer(http.server, {
    executor,
    // Queries and mutations sent over the socket run exactly as over HTTP (plugins included).
    executeOperation: async (request) => {
      const response = await apollo.executeOperation(
        { query: request.query, operationName: request.operationName ?? undefined, variables: request.variables ?? undefined },
        { contextValue: config.development ? { dbCommands: {} } : {} },
      );
      if (response.body.kind === 'single') return response.body.singleResult;
      return { errors: [{ message: 'incremental delivery is not supported over WebSocket' }] };
    },
  });
  return {
    url: http.url,
    port: http.port,
    apollo,
    http,
    subscriptions,
    executor,
    async stop() {
      // Sockets first: upgraded connections would otherwise keep the HTTP server from closing.
      await subscriptions.close();
      await executor.close();
      await http.close();
      await apollo.stop();
    },
  };
}
