import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/** The billing subgraph: accounts (TMF666), charges, bills (TMF678) and payments (TMF676). */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'billing',
  typeDefs: loadSubgraphSdl('billing').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  seed,
};
