/**
 * `npm start`: everything in one process. With MONGODB_URI unset the embedded server keeps data
 * in DATA_DIR (default .data/db; `--memory` keeps nothing) and the small demo set is seeded
 * when the databases are empty.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { onShutdown } from './shutdown.js';
import { startStack } from './stack.js';

const { values } = parseArgs({ options: { memory: { type: 'boolean', default: false } } });
const config = loadConfig();
const dataDir = values.memory ? undefined : config.dataDir;
const stack = await startStack({ config, seed: 'small', dataDir, log: (m) => console.log(m) });

console.log(`
database   ${config.mongodbUri ? 'MONGODB_URI' : `embedded MongoDB at ${stack.mongoUri} (${dataDir ?? 'in memory'})`}
subgraphs  ${Object.values(stack.subgraphs).map((s) => `${s.name} ${s.url}`).join('\n           ')}
gateway    ${stack.gateway.url}

try:  curl -s ${stack.gateway.url} -H 'content-type: application/json' \\
        -d '{"query":"{ customer(id: \\"CUST-789\\") { name segment services { id state supportingResources { id name } } } }"}'
Ctrl-C stops everything.`);
onShutdown(() => stack.stop());
