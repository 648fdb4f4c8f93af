import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo/index.js';
import { silentLogger } from '../embedded-mongo/src/types.js';
import type mongoose from 'mongoose';
import type { World } from '../seed/world.js';
import { loadConfig, type AppConfig } from './config.js';
import { connectDatabase } from './db.js';
import { startSubgraph, type RunningSubgraph, type SubgraphModule } from './subgraph.js';

/** Polls `predicate` (sync or async) until it holds; throws after `timeoutMs`, naming `what`. */
export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

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

/** No one listens here (port 1): where a subgraph a test does not need, or one that is down, points. */
export const NOWHERE_URL = 'http://127.0.0.1:1/graphql';

/** Test configuration: free ports everywhere, development diagnostics on. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  return { ...loadConfig({ NODE_ENV: 'development' }), gatewayPort: 0, ...overrides };
}

/** Where test data lives: MONGODB_URI when set (a real replica set), else a fresh embedded server. */
export async function startTestMongo(): Promise<{ uri: string; stop(): Promise<void> }> {
  const { mongodbUri } = loadConfig();
  if (mongodbUri) return { uri: mongodbUri, stop: async () => {} };
  const mongo: EmbeddedMongo = await startEmbeddedMongo({ log: silentLogger });
  return { uri: mongo.uri, stop: () => mongo.stop() };
}

/** Runs `use` with the subgraph's models on a connection of their own to its database, closed afterwards. */
export async function withModels<M, R>(module: SubgraphModule<M>, uri: string, use: (models: M, conn: mongoose.Connection) => Promise<R>): Promise<R> {
  const conn = await connectDatabase(uri, module.name);
  try {
    return await use(module.createModels(conn), conn);
  } finally {
    await conn.close();
  }
}

/** Seeds one subgraph's part of the world through its own models. */
export async function seedSubgraph(module: SubgraphModule, uri: string, world: World): Promise<void> {
  await withModels(module, uri, async (models, conn) => {
    await Promise.all(Object.values(conn.models).map((m) => m.init()));
    await module.seed(models, world);
  });
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

/** An `_entities` representation: what the gateway sends a subgraph to resolve an entity by its key. */
export interface Representation {
  __typename: string;
  id: string;
}

/** Representations of `typename` entities with these ids, in order. */
export const representations = (typename: string, ids: readonly string[]): Representation[] => ids.map((id) => ({ __typename: typename, id }));

/**
 * Resolves representations through the subgraph's `_entities` field, as the gateway does.
 * `selection` is what to select on each entity: inline fragments such as `... on Customer { id }`.
 */
export function queryEntities<T = unknown>(sut: SubgraphUnderTest, selection: string, reps: readonly Representation[]): Promise<GraphQLResult<{ _entities: T[] }>> {
  return sut.query<{ _entities: T[] }>(`query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`, { representations: reps });
}

/**
 * A hand-written world for one subgraph's tests: the parts it fills, every other collection
 * empty, and the seed example's landmarks (`bigFibreLinkId` names no resource unless given).
 */
export function partialWorld(parts: Partial<World>, bigFibreLinkId = 'none'): World {
  return {
    scale: 'small',
    customers: [],
    interactions: [],
    offerings: [],
    productOrders: [],
    serviceOrders: [],
    services: [],
    resources: [],
    billingAccounts: [],
    alarms: [],
    measurements: [],
    landmarks: { bigFibreLinkId, exampleCustomerId: 'CUST-789', exampleServiceId: 'svc-5g-001' },
    ...parts,
  };
}
