import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/** The catalog subgraph (TMF620 product offerings, specifications and prices). */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'catalog',
  typeDefs: loadSubgraphSdl('catalog').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  seed,
};
