/** `npm run start:gateway`: the gateway alone, reaching subgraphs at the URLs from config. */
import { loadConfig } from '../kit/config.js';
import { onShutdown } from '../kit/shutdown.js';
import { startGateway } from './gateway.js';

const gateway = await startGateway(loadConfig());
console.log(`gateway ready at ${gateway.url}`);
onShutdown(() => gateway.stop());
