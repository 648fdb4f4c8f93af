import { loadAll, type Loaders } from '../loaders.js';
import { IN_SERVICE_STATE, type ServiceDoc } from '../models.js';

/** The resources a service stands on. */
export interface ServiceFootprint {
  serviceId: string;
  customerId: string | null;
  state: ServiceDoc['state'];
  /** Its supporting resources, then those of the services it is built on (transitively), each once. */
  resourceIds: string[];
}

/**
 * Loads the services `services` are built on, level by level (one batched load per level, shared
 * by all of them), so each service's footprint can then be assembled in memory.
 */
async function withSupportingServices(loaders: Pick<Loaders, 'serviceById'>, services: readonly ServiceDoc[]): Promise<Map<string, ServiceDoc>> {
  const known = new Map(services.map((s) => [s._id, s]));
  let frontier = [...new Set(services.flatMap((s) => s.supportingServiceIds))].filter((id) => !known.has(id));
  while (frontier.length) {
    const level = (await loadAll(loaders.serviceById, frontier)).filter((doc): doc is ServiceDoc => doc !== null);
    for (const doc of level) known.set(doc._id, doc);
    frontier = [...new Set(level.flatMap((s) => s.supportingServiceIds))].filter((id) => !known.has(id));
  }
  return known;
}

/** Depth-first over `supportingServiceIds`; each service visited once, so recorded cycles end. */
function footprintOf(service: ServiceDoc, known: Map<string, ServiceDoc>): ServiceFootprint {
  const resources = new Set<string>();
  const visited = new Set<string>();
  const visit = (s: ServiceDoc) => {
    if (visited.has(s._id)) return;
    visited.add(s._id);
    for (const id of s.supportingResourceIds) resources.add(id);
    for (const id of s.supportingServiceIds) {
      const next = known.get(id);
      if (next) visit(next);
    }
  };
  visit(service);
  return { serviceId: service._id, customerId: service.customerId ?? null, state: service.state, resourceIds: [...resources] };
}

/**
 * Footprints of the services with these ids, in the order asked; unknown ids are left out.
 * Any state: a service's health is asked for whatever its state.
 */
export async function footprintsOfServices(loaders: Pick<Loaders, 'serviceById'>, serviceIds: readonly string[]): Promise<ServiceFootprint[]> {
  const services = (await loadAll(loaders.serviceById, [...new Set(serviceIds)])).filter((doc): doc is ServiceDoc => doc !== null);
  const known = await withSupportingServices(loaders, services);
  return services.map((s) => footprintOf(s, known));
}

/**
 * Footprints of the in-service (ACTIVE) services of these customers, customer by customer in
 * the order asked, each customer's oldest first: only services in service can be hurt by a
 * fault, the same rule as the impact walk.
 */
export async function footprintsOfCustomers(loaders: Pick<Loaders, 'serviceById' | 'servicesByCustomer'>, customerIds: readonly string[]): Promise<ServiceFootprint[]> {
  const lists = await loaders.servicesByCustomer.loadMany([...new Set(customerIds)]);
  const services = lists.flatMap((list) => {
    if (list instanceof Error) throw list;
    return list.filter((s) => s.state === IN_SERVICE_STATE);
  });
  const known = await withSupportingServices(loaders, services);
  return services.map((s) => footprintOf(s, known));
}
