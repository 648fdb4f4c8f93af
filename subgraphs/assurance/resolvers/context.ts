import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';
import type { TopologyReplica } from '../topology/replica.js';

/**
 * What every assurance resolver receives: models, loaders, config, and the subgraph's topology
 * replica (`topology`), added by the module's `contextExtras` from the runtime of these models
 * (runtime.ts). It may not be loaded yet: `await ctx.topology.ensure(ids)` before reading it.
 */
export type Context = SubgraphContext<Models, Loaders> & { topology: TopologyReplica };
