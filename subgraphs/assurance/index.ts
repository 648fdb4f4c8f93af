import { loadSubgraphSdl } from '../../schema/compose.js';
import type { SubgraphModule } from '../../kit/subgraph.js';
import { alarmRoutes } from './alarms/route.js';
import { prepareAlarmStorage } from './alarms/storage.js';
import { createLoaders, type Loaders } from './loaders.js';
import { createModels, type Models } from './models.js';
import { measurementsRoute } from './performance/route.js';
import { resolvers } from './resolvers/index.js';
import { assuranceRuntime } from './runtime.js';
import { seed } from './seed.js';
import { startSlaSweep } from './sla/background.js';

/** The assurance subgraph (TMF642 alarms, TMF628 performance measurements). */
export const subgraph: SubgraphModule<Models, Loaders> = {
  name: 'assurance',
  typeDefs: loadSubgraphSdl('assurance').typeDefs,
  resolvers,
  createModels,
  createLoaders,
  prepare: (models) => prepareAlarmStorage(models),
  // The topology replica lives as long as the running subgraph (one runtime per models object).
  contextExtras: (models, config) => ({ topology: assuranceRuntime({ models, config }).topology }),
  routes: (deps) => ({ ...alarmRoutes(deps), '/measurements': measurementsRoute(deps) }),
  // SLA evaluation runs inline with ingestion; the sweep retries what failed there.
  background: async (deps) => startSlaSweep(deps),
  seed,
};
