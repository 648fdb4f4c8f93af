import { ENDED_SERVICE_STATE, type Models } from '../models.js';
import { inChunks, pushTo, reachable, WALK_BATCH_SIZE } from './batch.js';
import { downstreamClosure, type DownstreamOptions } from './downstream.js';

/** A customer hurt by a fault, with their services that fail (ids ascending). */
export interface ImpactedCustomer {
  customerId: string;
  serviceIds: string[];
}

/** Everything that fails when one resource fails. */
export interface Impact {
  /** The resource and everything downstream of it, nearest first. */
  resourceIds: string[];
  /** Failing services, each once, ids ascending. */
  serviceIds: string[];
  /** Distinct customers of those services, ids ascending. */
  customers: ImpactedCustomer[];
}

/** The service layer above some resources: who runs on what, who is built on whom. */
interface ServiceGraph {
  /** resource id → services running directly on it. */
  onResource: Map<string, string[]>;
  /** service id → services built directly on it (supportingServices pointing at it). */
  builtOn: Map<string, string[]>;
  customerOf: Map<string, string | null>;
}

interface ServiceRow {
  _id: string;
  customerId: string | null;
  supportingResourceIds?: string[];
  supportingServiceIds?: string[];
}

// Terminated services released their resources: they can neither fail nor pass a failure on.
const LIVE = { state: { $ne: ENDED_SERVICE_STATE } };

function findServices(models: Pick<Models, 'Service'>, field: 'supportingResourceIds' | 'supportingServiceIds', ids: string[]): Promise<ServiceRow[]> {
  return models.Service.find({ [field]: { $in: ids }, ...LIVE }, { _id: 1, customerId: 1, [field]: 1 }).batchSize(WALK_BATCH_SIZE).lean<ServiceRow[]>().exec();
}

/**
 * One `$in` query for the services on `resourceIds`, then one per level of services built on
 * services, projecting only ids and edges.
 */
async function exploreServices(models: Pick<Models, 'Service'>, resourceIds: string[]): Promise<ServiceGraph> {
  const graph: ServiceGraph = { onResource: new Map(), builtOn: new Map(), customerOf: new Map() };
  const wanted = new Set(resourceIds);
  let frontier: string[] = [];
  for (const row of await inChunks(resourceIds, (ids) => findServices(models, 'supportingResourceIds', ids))) {
    for (const resourceId of new Set(row.supportingResourceIds)) if (wanted.has(resourceId)) pushTo(graph.onResource, resourceId, row._id);
    graph.customerOf.set(row._id, row.customerId);
    frontier.push(row._id);
  }
  const seen = new Set(frontier);
  while (frontier.length) {
    const inFrontier = new Set(frontier);
    const next: string[] = [];
    for (const row of await inChunks(frontier, (ids) => findServices(models, 'supportingServiceIds', ids))) {
      for (const base of new Set(row.supportingServiceIds)) if (inFrontier.has(base)) pushTo(graph.builtOn, base, row._id);
      graph.customerOf.set(row._id, row.customerId);
      if (!seen.has(row._id)) {
        seen.add(row._id);
        next.push(row._id);
      }
    }
    frontier = next;
  }
  return graph;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function impactOf(resourceIds: string[], services: ServiceGraph): Impact {
  const direct = resourceIds.flatMap((id) => services.onResource.get(id) ?? []);
  const serviceIds = reachable(direct, services.builtOn).sort(byId);
  const byCustomer = new Map<string, string[]>();
  for (const serviceId of serviceIds) {
    const customerId = services.customerOf.get(serviceId);
    if (customerId) pushTo(byCustomer, customerId, serviceId);
  }
  const customers = [...byCustomer.keys()].sort(byId).map((customerId) => ({ customerId, serviceIds: byCustomer.get(customerId)! }));
  return { resourceIds, serviceIds, customers };
}

/**
 * Fault impact of each root resource: its downstream closure, the services running on any of
 * it (plus services built on those, transitively) and their distinct customers. All roots are
 * walked together, so the database work is one query per topology level plus one per service
 * level, however many roots and however large the closures; the per-root split is in memory.
 */
export async function computeImpact(models: Pick<Models, 'Resource' | 'Service'>, rootIds: readonly string[], options: DownstreamOptions = {}): Promise<Map<string, Impact>> {
  const closures = await downstreamClosure(models, rootIds, options);
  const allResources = [...new Set([...closures.values()].flat())];
  const services = await exploreServices(models, allResources);
  return new Map(rootIds.map((root) => [root, impactOf(closures.get(root)!, services)]));
}
