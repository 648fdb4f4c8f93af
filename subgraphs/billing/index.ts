import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { startBillingBackground } from './activation/background.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, prepareModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/**
 * The billing subgraph: accounts (TMF666), charges, bills (TMF678) and payments (TMF676); in the
 * background it starts charging services that inventory reports ACTIVE.
 */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'billing',
  typeDefs: loadSubgraphSdl('billing').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  prepare: prepareModels,
  seed,
  background: startBillingBackground,
};
