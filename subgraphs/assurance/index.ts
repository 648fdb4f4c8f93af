import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/** The assurance subgraph (TMF642 alarms, TMF628 performance measurements). */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'assurance',
  typeDefs: loadSubgraphSdl('assurance').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  seed,
};
