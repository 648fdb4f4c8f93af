/**
 * `npm run seed -- --scale small|large [--reset] [--seed 42]`: generates the demo world and
 * stores it through the subgraphs' own modules. Database: MONGODB_URI, else the embedded server
 * on DATA_DIR (default .data/db) — which `npm start` locks while it runs.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from '../embedded-mongo/index.js';
import { ConfigError, loadConfig, type AppConfig } from '../kit/config.js';
import { generateWorld } from './generate.js';
import { dropSubgraphDatabases, seedAll, seededCounts } from './seed-all.js';
import type { Scale, World } from './world.js';

const USAGE = 'usage: npm run seed -- [--scale small|large] [--reset] [--seed <integer>]';

/** A usage or environment problem: printed without a stack trace (with the usage line if asked). */
class CliError extends Error {
  constructor(message: string, readonly showUsage = false) {
    super(message);
  }
}

function options(): { scale: Scale; reset: boolean; seed: number } {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: 'small' },
      reset: { type: 'boolean', default: false },
      seed: { type: 'string', default: '42' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (values.scale !== 'small' && values.scale !== 'large') throw new CliError(`--scale must be small or large, got '${values.scale}'`, true);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new CliError(`--seed must be an integer, got '${values.seed}'`, true);
  return { scale: values.scale, reset: values.reset!, seed };
}

async function openDatabase(config: AppConfig): Promise<{ uri: string; where: string; close(): Promise<void> }> {
  if (config.mongodbUri) return { uri: config.mongodbUri, where: 'MONGODB_URI', close: async () => {} };
  if (!config.dataDir) throw new CliError('DATA_DIR=memory: an in-memory database would vanish when this command exits. `npm start -- --memory` seeds its own.');
  try {
    const mongo = await startEmbeddedMongo({ dbPath: config.dataDir, log: { info() {}, warn: (m) => console.warn(m) } });
    return { uri: mongo.uri, where: `embedded database in ${config.dataDir}`, close: () => mongo.stop() };
  } catch (err) {
    if (/already in use/.test((err as Error).message)) {
      throw new CliError(
        `The embedded database in ${config.dataDir} is locked by a running server (is \`npm start\` running?).\n` +
          'Stop it and run the seed again (`npm start` seeds the small world itself when the database is empty).',
      );
    }
    throw err;
  }
}

function describe(world: World): string {
  const charges = world.billingAccounts.reduce((n, a) => n + a.charges.length, 0);
  return [
    `${world.customers.length} customers`, `${world.productOrders.length} product orders`, `${world.services.length} services`,
    `${world.resources.length} resources`, `${charges} charges`, `${world.alarms.length} alarms`, `${world.interactions.length} interactions`,
  ].join(', ');
}

async function main(): Promise<void> {
  const opts = options();
  const config = loadConfig();
  const started = performance.now();
  // The database first: a locked data directory should fail before any work is done.
  const db = await openDatabase(config);
  try {
    console.log(`database: ${db.where}`);
    const world = generateWorld(opts.scale, opts.seed);
    console.log(`generated the ${opts.scale} world (seed ${opts.seed}) in ${Math.round(performance.now() - started)} ms: ${describe(world)}`);
    if (opts.reset) {
      await dropSubgraphDatabases(db.uri);
      console.log('reset: dropped the six subgraph databases');
    } else {
      const seeded = Object.entries(await seededCounts(db.uri)).filter(([, n]) => n > 0);
      // Subgraph seeds are bulk inserts: running them over existing data would duplicate or fail.
      if (seeded.length > 0) {
        console.log(`already seeded (${seeded.map(([name, n]) => `${name}: ${n} documents`).join(', ')}); nothing to do. Use --reset to re-seed.`);
        return;
      }
    }
    await seedAll(db.uri, world, (m) => console.log(m));
    console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  if (err instanceof CliError || err instanceof ConfigError) console.error(`seed: ${err.message}${err instanceof CliError && err.showUsage ? `\n${USAGE}` : ''}`);
  else console.error(err);
  process.exitCode = 1;
});
