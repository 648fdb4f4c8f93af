import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo/index.js';
import { silentLogger } from '../embedded-mongo/src/types.js';
import type { World } from '../seed/world.js';
import { loadConfig, type AppConfig } from './config.js';
import { connectDatabase } from './db.js';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from './subgraph.js';

/** A GraphQL response as tests inspect it. */
export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** POSTs a GraphQL operation over real HTTP. */
export async function graphqlRequest<T = Record<string, unknown>>(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, ...((await res.json()) as Omit<GraphQLResult<T>, 'status'>) };
}

/** Test configuration: free ports everywhere, development diagnostics on. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ NODE_ENV: 'development' }), gatewayPort: 0, ...overrides };
}

/** Where test data lives: MONGODB_URI when set (a real replica set), else a fresh embedded server. */
export async function startTestMongo(): Promise<{ uri: string; stop(): Promise<void> }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => {} };
  const mongo: EmbeddedMongo = await startEmbeddedMongo({ log: silentLogger });
  return { uri: mongo.uri, stop: () => mongo.stop() };
}

/** Seeds one subgraph's part of the world through its own models. */
export async function seedSubgraph(module: SubgraphModule, uri: string, world: World): Promise<void> {
  const conn = await connectDatabase(uri, module.name);
  try {
    const models = module.createModels(conn);
    await Promise.all(Object.values(conn.models).map((m) => m.init()));
    await module.seed(models, world);
  } finally {
    await conn.close();
  }
}

export interface SubgraphUnderTest {
  url: string;
  subgraph: RunningSubgraph;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

/**
 * One real subgraph on a free port over a fresh database seeded with `world`: for tests that
 * exercise a subgraph directly (including `_entities` reference resolution).
 */
export async function startSubgraphUnderTest(module: SubgraphModule, world: World): Promise<SubgraphUnderTest> {
  const mongo = await startTestMongo();
  await seedSubgraph(module, mongo.uri, world);
  const subgraph = await startSubgraph(module, testConfig(), mongo.uri, 0);
  return {
    url: subgraph.url,
    subgraph,
    query: (q, v) => graphqlRequest(subgraph.url, q, v),
    async stop() {
      await subgraph.stop();
      await mongo.stop();
    },
  };
}
