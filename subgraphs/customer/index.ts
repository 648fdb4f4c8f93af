import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { startCustomerBackground } from './order-notes/background.js';
import { withOutageCare } from './outage-care/background.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, type Models } from './models.js';
import { resolvers } from './resolvers/index.js';
import { seed } from './seed.js';

/**
 * The customer subgraph (TMF629 Customer, TMF632 Party, CRM interactions); in the background it
 * notes on the customer every product order that ends, and tells customers about network outages
 * that hurt them (and when they are over).
 */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'customer',
  typeDefs: loadSubgraphSdl('customer').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  seed,
  background: withOutageCare(startCustomerBackground),
};
