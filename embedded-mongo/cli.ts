/**
 * `npm run db -- --port 27017 [--dbpath DIR | --memory] [--host H]`: the embedded server on its
 * own, so mongosh or Compass can browse the data. Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo } from './index.js';

const USAGE = 'usage: npm run db -- [--port 27017] [--host 127.0.0.1] [--dbpath .data/db | --memory]';

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      dbpath: { type: 'string' },
      memory: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got '${values.port}'`);
  if (values.memory && values.dbpath) throw new Error('--memory and --dbpath exclude each other');
  return { port, host: values.host!, dbPath: values.memory ? undefined : (values.dbpath ?? '.data/db') };
}

async function main(): Promise<void> {
  const opts = options();
  const server = await startEmbeddedMongo(opts);
  console.log(`embedded-mongo listening: ${server.uri}`);
  console.log(opts.dbPath ? `data directory: ${opts.dbPath}` : 'in memory: data is lost when the server stops');
  const shutdown = (signal: string) => {
    console.log(`${signal} received, stopping…`);
    server.stop().then(
      () => process.exit(0),
      (err: Error) => {
        console.error(`stop failed: ${err.message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: Error) => {
  console.error(`embedded-mongo: ${err.message}\n${USAGE}`);
  process.exit(1);
});
