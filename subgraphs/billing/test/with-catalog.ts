import type { AppConfig } from '../../../kit/config.js';
import { startSubgraph, type RunningSubgraph } from '../../../kit/subgraph.js';
import { graphqlRequest, NOWHERE_URL, seedSubgraph, startTestMongo, testConfig, type GraphQLResult } from '../../../kit/testing.js';
import type { World } from '../../../seed/world.js';
import { subgraphByName } from '../../registry.js';
import type { BillingReactionDeps } from '../activation/charge-start.js';
import { subgraph } from '../index.js';
import type { Models } from '../models.js';


export interface BillingWithCatalog {
  config: AppConfig;
  billing: RunningSubgraph;
  catalog: RunningSubgraph;
  /** What billing start runs with, as the billing subgraph's own consumer would; log lines collected in `logs`. */
  deps: BillingReactionDeps;
  logs: string[];
  /** A GraphQL operation against the billing subgraph over real HTTP. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

/**
 * The real billing and catalog subgraphs over one fresh database seeded with `world`: billing
 * start reads prices from catalog's API. The inventory feed points nowhere — tests hand events
 * to the reaction themselves.
 */
export async function startBillingWithCatalog(world: World): Promise<BillingWithCatalog> {
  const mongo = await startTestMongo();
  const catalogModule = subgraphByName('catalog');
  await seedSubgraph(subgraph, mongo.uri, world);
  await seedSubgraph(catalogModule, mongo.uri, world);
  const base = testConfig();
  const config: AppConfig = { ...base, subgraphs: { ...base.subgraphs, inventory: { port: 0, url: NOWHERE_URL } } };
  const catalog = await startSubgraph(catalogModule, config, mongo.uri, 0, { log: () => {} });
  // Read per call, so filling it in now reaches the billing subgraph started below too.
  config.subgraphs.catalog = { port: Number(new URL(catalog.url).port), url: catalog.url };
  // Its own consumer only ever finds the feed unreachable: not worth a log line per test run.
  const billing = await startSubgraph(subgraph, config, mongo.uri, 0, { log: () => {} });
  const logs: string[] = [];
  const models: Models = subgraph.createModels(billing.conn);
  return {
    config,
    billing,
    catalog,
    deps: { models, config, conn: billing.conn, log: (msg) => logs.push(msg) },
    logs,
    query: (q, v) => graphqlRequest(billing.url, q, v),
    async stop() {
      await billing.stop();
      await catalog.stop();
      await mongo.stop();
    },
  };
}
