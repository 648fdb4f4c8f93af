import type { AppConfig } from '../../kit/config.js';
import { AlarmIngest } from './alarms/ingest-queue.js';
import type { Models } from './models.js';
import { inventoryTopologySource } from './topology/inventory-source.js';
import { TopologyReplica } from './topology/replica.js';

/**
 * Process-wide state of one running assurance subgraph, shared by its resolvers (`ctx.topology`),
 * its POST routes and its background work: the topology replica and the alarm ingest queue
 * (which serialises batches so correlation inside this process never races itself).
 */
export interface AssuranceRuntime {
  topology: TopologyReplica;
  ingest: AlarmIngest;
}

/** What the exported alarm functions need: anything holding the subgraph's models and config (a resolver context, background deps). */
export interface AssuranceDeps {
  models: Models;
  config: AppConfig;
}

// Keyed by the models object, which `startSubgraph` creates once per running subgraph (the same
// pattern as inventory's impact cache): two subgraphs in one process (tests) never share state.
const runtimes = new WeakMap<Models, AssuranceRuntime>();

/**
 * The runtime of the subgraph these models belong to, created on first use (the module's
 * `prepare` creates it at start-up; functions called with models of their own, e.g. from a
 * test's `withModels`, get one of their own). Cheap: resolvers call it per request.
 */
export function assuranceRuntime(deps: AssuranceDeps): AssuranceRuntime {
  let runtime = runtimes.get(deps.models);
  if (!runtime) {
    const topology = new TopologyReplica(inventoryTopologySource(deps.config));
    runtime = { topology, ingest: new AlarmIngest(deps.models, deps.config, topology) };
    runtimes.set(deps.models, runtime);
  }
  return runtime;
}
