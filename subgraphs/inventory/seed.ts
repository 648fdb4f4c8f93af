import { insertChunked, type BulkInsertOptions } from '../../kit/bulk-insert.js';
import type { World, WorldResource, WorldService } from '../../seed/world.js';
import type { Models } from './models.js';

/**
 * Documents are complete (defaults and timestamps filled in by the mappers below); the first of
 * every chunk is still validated so a mapping mistake fails loudly. Re-seeding skips documents
 * already stored.
 */
const INSERT: BulkInsertOptions = { validateFirstOfChunk: true, skip: 'duplicate-key' };

/** When each service was first ordered (product or service order), so "oldest first" means something. */
function orderedAt(world: World): Map<string, Date> {
  const first = new Map<string, Date>();
  const note = (serviceId: string | null, at: Date) => {
    const seen = serviceId ? first.get(serviceId) : undefined;
    if (serviceId && (!seen || at < seen)) first.set(serviceId, at);
  };
  for (const order of world.productOrders) for (const item of order.items) note(item.serviceId, order.orderDate);
  for (const order of world.serviceOrders) for (const item of order.items) note(item.serviceId, order.orderDate);
  return first;
}

function serviceSpecNames(world: World): Map<string, string> {
  const names = new Map<string, string>();
  for (const offering of world.offerings) for (const spec of offering.specification.serviceSpecifications) names.set(spec.id, spec.name);
  return names;
}

function serviceDoc(s: WorldService, specNames: Map<string, string>, orderedAt: Date | undefined, seededAt: Date) {
  const createdAt = orderedAt ?? s.activatedAt ?? seededAt;
  return {
    _id: s.id,
    name: s.name,
    category: s.category,
    state: s.state,
    serviceSpecification: { id: s.serviceSpecificationId, name: specNames.get(s.serviceSpecificationId) ?? s.serviceSpecificationId },
    characteristics: s.characteristics,
    activatedAt: s.activatedAt,
    // The world records activation only: the service started when it was activated.
    startDate: s.activatedAt,
    endDate: null,
    isServiceEnabled: s.state === 'ACTIVE',
    customerId: s.customerId,
    productOfferingId: s.productOfferingId,
    supportingResourceIds: s.supportingResourceIds,
    supportingServiceIds: s.supportingServiceIds,
    createdAt,
    updatedAt: seededAt,
  };
}

function resourceDoc(r: WorldResource, names: Map<string, string>, seededAt: Date) {
  return {
    _id: r.id,
    name: r.name,
    category: r.category,
    // The world does not say which specification a resource instantiates.
    resourceSpecification: null,
    characteristics: r.characteristics.map((c) => ({ name: c.name, value: c.value, unit: c.unit ?? null })),
    capacity: r.capacity,
    administrativeState: r.administrativeState,
    operationalState: r.operationalState,
    usageState: r.usageState,
    resourceStatus: r.resourceStatus,
    // The world's place name, else the name of a resource that is the place (a site), else its code.
    place: r.placeId ? { id: r.placeId, name: r.placeName ?? names.get(r.placeId) ?? r.placeId } : null,
    reliesOn: r.reliesOn,
    bundledIn: r.bundledIn,
    createdAt: seededAt,
    updatedAt: seededAt,
  };
}

/** Stores the world's services and resources (TMF638/TMF639) through the inventory models. */
export async function seed(models: Models, world: World, log?: (msg: string) => void): Promise<void> {
  const seededAt = new Date();
  const names = new Map(world.resources.map((r) => [r.id, r.name]));
  await insertChunked(models.Resource, world.resources.map((r) => resourceDoc(r, names, seededAt)), INSERT);
  const specNames = serviceSpecNames(world);
  const ordered = orderedAt(world);
  await insertChunked(models.Service, world.services.map((s) => serviceDoc(s, specNames, ordered.get(s.id), seededAt)), INSERT);
  log?.(`inventory: ${world.resources.length} resources, ${world.services.length} services in ${Date.now() - seededAt.getTime()} ms`);
}
