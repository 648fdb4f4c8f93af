import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { AppConfig, SubgraphName } from '../kit/config.js';
import { listenGraphQL, type RunningHttp } from '../kit/http.js';
import { composeSupergraph } from '../schema/compose.js';
import type { GatewayContext } from './context.js';
import { SubgraphDataSource } from './data-source.js';

export interface RunningGateway {
  url: string;
  port: number;
  apollo: ApolloServer<GatewayContext>;
  http: RunningHttp;
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

/** URLs come from config, not from the supergraph's defaults, so each deployment wires its own. */
export function createGateway(config: AppConfig, urls: Partial<Record<SubgraphName, string>> = {}): ApolloGateway {
  return new ApolloGateway({
    supergraphSdl: composeSupergraph(),
    buildService: ({ name }) => {
      const subgraph = name as SubgraphName;
      return new SubgraphDataSource(subgraph, urls[subgraph] ?? config.subgraphs[subgraph].url, config.subgraphTimeoutMs);
    },
  });
}

/** Composes the supergraph from schema/*.graphql (no introspection round trips) and serves it. */
export async function startGateway(config: AppConfig, opts: { port?: number; urls?: Partial<Record<SubgraphName, string>> } = {}): Promise<RunningGateway> {
  const apollo = new ApolloServer<GatewayContext>({
    gateway: createGateway(config, opts.urls),
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
  return {
    url: http.url,
    port: http.port,
    apollo,
    http,
    async stop() {
      await http.close();
      await apollo.stop();
    },
  };
}
