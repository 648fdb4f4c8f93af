import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { startActivation } from './activation/index.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, prepareModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/** The order subgraph: TMF622 product orders, TMF641 service orders and the activation saga between them. */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'order',
  typeDefs: loadSubgraphSdl('order').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  prepare: prepareModels,
  seed,
  background: (deps) => startActivation(deps),
};
