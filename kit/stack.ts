import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import { silentLogger } from '../embedded-mongo/src/types.js';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { generateWorld } from '../seed/generate.js';
import { seedAll } from '../seed/seed-all.js';
import type { Scale, World } from '../seed/world.js';
import { SUBGRAPHS } from '../subgraphs/registry.js';
import type { AppConfig, SubgraphName } from './config.js';
import { connectDatabase, databaseName } from './db.js';
import { startSubgraph, type RunningSubgraph } from './subgraph.js';

export interface StackOptions {
  config: AppConfig;
  /** Free ports for everything (tests) instead of the configured ones. */
  freePorts?: boolean;
  /** Seed this scale when the databases are empty; false = never seed. */
  seed?: Scale | false;
  /** Seed this world instead of generating one (tests that need special data). */
  world?: World;
  /** Embedded server data directory; undefined = in memory (ignored with MONGODB_URI). */
  dataDir?: string;
  log?: (msg: string) => void;
}

export interface RunningStack {
  mongoUri: string;
  gateway: RunningGateway;
  subgraphs: Record<SubgraphName, RunningSubgraph>;
  stop(): Promise<void>;
}

async function isEmpty(uri: string): Promise<boolean> {
  const conn = await connectDatabase(uri, 'customer');
  try {
    return (await conn.db!.collection('customers').estimatedDocumentCount()) === 0;
  } finally {
    await conn.close();
  }
}

/**
 * The whole product in one process: database (MONGODB_URI or the embedded server), demo data
 * when empty, the six subgraphs and the gateway. `npm start` and the end-to-end tests use it.
 */
export async function startStack(opts: StackOptions): Promise<RunningStack> {
  const log = opts.log ?? (() => {});
  const { config } = opts;
  const embedded = config.mongodbUri ? undefined : await startEmbeddedMongo({ dbPath: opts.dataDir, log: silentLogger });
  const mongoUri = config.mongodbUri ?? embedded!.uri;
  const started: RunningSubgraph[] = [];
  const stopAll = async () => {
    await Promise.allSettled(started.map((s) => s.stop()));
    await embedded?.stop();
  };
  try {
    if (opts.seed && (await isEmpty(mongoUri))) {
      log(`seeding the ${opts.seed} demo data set…`);
      await seedAll(mongoUri, opts.world ?? generateWorld(opts.seed), log);
    }
    // Subgraphs call each other's APIs (e.g. order validates against customer and catalog) at the
    // URLs in their config. On free ports those are only known once each one listens, so every
    // subgraph shares one config object whose URLs are filled in as the subgraphs start (it is
    // read per request, long after startup).
    const live: AppConfig = { ...config, subgraphs: { ...config.subgraphs } };
    // Until a subgraph listens its URL points where nothing answers (port 1): a consumer started
    // early must retry, never reach whatever else listens on the configured default port.
    if (opts.freePorts) for (const name of Object.keys(live.subgraphs) as SubgraphName[]) live.subgraphs[name] = { port: 0, url: 'http://127.0.0.1:1/graphql' };
    for (const module of SUBGRAPHS) {
      const running = await startSubgraph(module, live, mongoUri, opts.freePorts ? 0 : undefined);
      started.push(running);
      if (opts.freePorts) live.subgraphs[running.name] = { port: Number(new URL(running.url).port), url: running.url };
    }
    const subgraphs = Object.fromEntries(started.map((s) => [s.name, s])) as Record<SubgraphName, RunningSubgraph>;
    const urls = Object.fromEntries(started.map((s) => [s.name, s.url]));
    const gateway = await startGateway(config, { port: opts.freePorts ? 0 : undefined, urls });
    return {
      mongoUri,
      gateway,
      subgraphs,
      async stop() {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

export { databaseName };
