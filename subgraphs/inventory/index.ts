import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { createLoaders, startImpactCache, type Loaders } from './loaders.js';
import { prepareFulfilmentModels } from './fulfilment/models.js';
import { createModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/**
 * The inventory subgraph: services (TMF638) and resources (TMF639) with their topology, fault
 * impact computed from it (`Resource.dependsOn`, `impactedServices`, `impactedCustomers`), and
 * fulfilment for the activation saga (fulfilment/: reserve capacity, activate, release, with the
 * inventory outbox), whose API is `@inaccessible` in the supergraph.
 */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'inventory',
  typeDefs: loadSubgraphSdl('inventory').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  async prepare(models) {
    await prepareFulfilmentModels(models);
    await startImpactCache(models);
  },
  seed,
};

export { computeImpact, type Impact, type ImpactedCustomer } from './topology/impact.js';
export { downstreamClosure, type DownstreamOptions } from './topology/downstream.js';
