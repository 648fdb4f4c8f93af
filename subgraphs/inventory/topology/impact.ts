import { IN_SERVICE_STATE, type Models } from '../models.js';
import { inChunks, pushTo, reachable } from './batch.js';
import { closuresOf, exploreDependents, type DownstreamOptions } from './downstream.js';

/** A customer hurt by a fault, with their services that fail (ids ascending). */
export interface ImpactedCustomer {
  readonly customerId: string;
  readonly serviceIds: readonly string[];
}

/** Everything that fails when one resource fails. Shared across requests: never mutate. */
export interface Impact {
  /** The resource and everything downstream of it, nearest first. */
  readonly resourceIds: readonly string[];
  /** Failing services, each once, ids ascending. */
  readonly serviceIds: readonly string[];
  /** Distinct customers of those services, ids ascending. */
  readonly customers: readonly ImpactedCustomer[];
}

/** The services above some resources. */
interface ServiceWalk {
  /** Every service found, each once. */
  found: string[];
  customerOf: Map<string, string | null>;
  /** Only when several roots must be told apart: resource → services on it, service → services built on it. */
  edges?: { onResource: Map<string, string[]>; builtOn: Map<string, string[]> };
}

/** Services found by one query, packed as parallel arrays (see `findServices`). */
interface PackedServices {
  ids: string[];
  customerIds: (string | null)[];
  /** Per service: the matched field (its supporting resource or service ids); only `withEdges`. */
  supports?: string[][];
}

// Only services in service fail, or pass a failure on to the services built on them; the same
// rule as the seed's outage notifications (seed/impact.ts), so both name the same customers.
const IN_SERVICE = { state: IN_SERVICE_STATE } as const;

/**
 * Services in service whose `field` holds any of `ids`, packed into one reply document of parallel
 * arrays by `$group` (per-document encoding dominates replies of thousands of services).
 */
async function findServices(models: Pick<Models, 'Service'>, field: 'supportingResourceIds' | 'supportingServiceIds', ids: string[], withEdges: boolean): Promise<PackedServices> {
  const pack = {
    _id: null,
    ids: { $push: '$_id' },
    customerIds: { $push: { $ifNull: ['$customerId', null] } },
    ...(withEdges ? { supports: { $push: { $ifNull: [`$${field}`, []] } } } : {}),
  };
  const [packed] = await models.Service.aggregate<PackedServices>([{ $match: { [field]: { $in: ids }, ...IN_SERVICE } }, { $group: pack }]).exec();
  return packed ?? { ids: [], customerIds: [] };
}

/** Notes one query's services; with `edges`, links each to what it stands on among `wanted`. */
function record(walk: ServiceWalk, packed: PackedServices, wanted: Set<string>, edges: Map<string, string[]> | undefined): string[] {
  packed.ids.forEach((id, i) => {
    walk.customerOf.set(id, packed.customerIds[i]);
    if (edges) for (const supported of new Set(packed.supports![i])) if (wanted.has(supported)) pushTo(edges, supported, id);
  });
  return packed.ids;
}

/** One `$in` query for the services on `resourceIds`, then one per level of services built on services. */
async function exploreServices(models: Pick<Models, 'Service'>, resourceIds: string[], withEdges: boolean): Promise<ServiceWalk> {
  const walk: ServiceWalk = { found: [], customerOf: new Map(), edges: withEdges ? { onResource: new Map(), builtOn: new Map() } : undefined };
  const wanted = new Set(resourceIds);
  const direct = await inChunks(resourceIds, (ids) => findServices(models, 'supportingResourceIds', ids, withEdges));
  const seen = new Set<string>();
  const unseen = (ids: string[]) =>
    ids.filter((id) => {
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  let frontier = unseen(direct.flatMap((packed) => record(walk, packed, wanted, walk.edges?.onResource)));
  while (frontier.length) {
    for (const id of frontier) walk.found.push(id);
    const inFrontier = new Set(frontier);
    const builtOn = await inChunks(frontier, (ids) => findServices(models, 'supportingServiceIds', ids, withEdges));
    frontier = unseen(builtOn.flatMap((packed) => record(walk, packed, inFrontier, walk.edges?.builtOn)));
  }
  return walk;
}

function impactOf(resourceIds: string[], services: ServiceWalk): Impact {
  const edges = services.edges;
  const failing = edges ? reachable(resourceIds.flatMap((id) => edges.onResource.get(id) ?? []), edges.builtOn) : services.found;
  const serviceIds = [...failing].sort();
  const byCustomer = new Map<string, string[]>();
  for (const serviceId of serviceIds) {
    const customerId = services.customerOf.get(serviceId);
    if (customerId) pushTo(byCustomer, customerId, serviceId);
  }
  const customers = [...byCustomer.keys()].sort().map((customerId) => ({ customerId, serviceIds: byCustomer.get(customerId)! }));
  return { resourceIds, serviceIds, customers };
}

/**
 * Fault impact of each root resource: its downstream closure, the services running on any of
 * it (plus services built on those, transitively) and their distinct customers. All roots are
 * walked together, so the database work is one query per topology level plus one per service
 * level, however many roots and however large the closures; the per-root split is in memory.
 */
export async function computeImpact(models: Pick<Models, 'Resource' | 'Service'>, rootIds: readonly string[], options: DownstreamOptions = {}): Promise<Map<string, Impact>> {
  const resources = await exploreDependents(models, rootIds, options);
  const services = await exploreServices(models, resources.found, resources.edges !== undefined);
  const closures = closuresOf(resources, rootIds);
  return new Map(rootIds.map((root) => [root, impactOf(closures.get(root)!, services)]));
}
