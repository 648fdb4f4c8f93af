import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { AppConfig } from '../kit/config.js';
import { connectDatabase } from '../kit/db.js';
import { listenGraphQL } from '../kit/http.js';
import type { SubgraphContext, SubgraphModule } from '../kit/subgraph.js';
import { SUBGRAPHS } from '../subgraphs/registry.js';
import { buildMonolithSchema, MonolithContext } from './monolith-schema.js';

/** The baseline server: one ApolloServer, same resolvers and models, no gateway and no subgraph hops. */
export interface RunningMonolith {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the whole supergraph from one ApolloServer on a free port, over the same HTTP layer as the
 * gateway (`kit/http.ts`), so the comparison isolates planning and subgraph round trips. Each
 * subgraph keeps its own connection to its own database, as in production, so database work
 * (and the inventory impact cache, which is per models object) is the same on both sides.
 */
export async function startMonolith(config: AppConfig, mongoUri: string, modules: readonly SubgraphModule[] = SUBGRAPHS): Promise<RunningMonolith> {
  const conns = await Promise.all(modules.map((m) => connectDatabase(mongoUri, m.name)));
  const factories = new Map<string, () => SubgraphContext>();
  const models = modules.map((m, i) => m.createModels(conns[i]));
  modules.forEach((m, i) => factories.set(m.name, () => ({ ...m.contextExtras?.(models[i], config), models: models[i], loaders: m.createLoaders(models[i], config), config })));
  await Promise.all(conns.flatMap((c) => Object.values(c.models).map((model) => model.init())));
  // The same start-up as startSubgraph: e.g. inventory's impact cache begins here.
  await Promise.all(modules.map((m, i) => m.prepare?.(models[i])));
  const apollo = new ApolloServer<MonolithContext>({
    schema: buildMonolithSchema(modules),
    // The same server options as a subgraph (kit/subgraph.ts), so only the architecture differs.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    includeStacktraceInErrorResponses: false,
    introspection: true,
  });
  await apollo.start();
  const http = await listenGraphQL(apollo, {
    host: config.host,
    port: 0,
    context: async () => new MonolithContext(factories),
    health: async () => conns.every((c) => c.readyState === 1),
  });
  return {
    url: http.url,
    async stop() {
      await http.close();
      await apollo.stop();
      await Promise.all(conns.map((c) => c.close()));
    },
  };
}
