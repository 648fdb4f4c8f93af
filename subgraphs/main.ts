/**
 * `npm run start:subgraph -- <name>`: one subgraph on its own (how docker-compose runs them).
 * Needs MONGODB_URI: separate processes cannot share the in-process embedded server.
 */
import { loadConfig } from '../kit/config.js';
import { onShutdown } from '../kit/shutdown.js';
import { startSubgraph } from '../kit/subgraph.js';
import { subgraphByName } from './registry.js';

const config = loadConfig();
const name = process.argv[2];
if (!name) {
  console.error('usage: npm run start:subgraph -- <customer|catalog|order|billing|inventory|assurance>');
  process.exit(2);
}
if (!config.mongodbUri) {
  console.error('MONGODB_URI is required to run one subgraph alone (e.g. start `npm run db` and use mongodb://127.0.0.1:27017/?directConnection=true), or use `npm start` for everything in one process.');
  process.exit(2);
}
const running = await startSubgraph(subgraphByName(name), config, config.mongodbUri);
console.log(`subgraph ${name} ready at ${running.url}`);
onShutdown(() => running.stop());
