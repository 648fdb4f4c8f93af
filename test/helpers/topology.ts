import type { World, WorldService } from '../../seed/world.js';

/**
 * What a fault on `resourceId` takes down, computed straight from the world data (independently
 * of the inventory subgraph): every resource relying on it transitively, the ACTIVE services on
 * them, the ACTIVE services built on those, and their customers.
 */
export function expectedImpact(world: World, resourceId: string): { services: WorldService[]; customerIds: string[] } {
  const dependents = new Map<string, string[]>();
  for (const r of world.resources) for (const up of r.reliesOn) dependents.set(up, [...(dependents.get(up) ?? []), r.id]);
  const hit = new Set([resourceId]);
  const queue = [resourceId];
  while (queue.length) for (const d of dependents.get(queue.pop()!) ?? []) if (!hit.has(d)) (hit.add(d), queue.push(d));
  // Only ACTIVE services deliver anything that a fault can take down.
  const active = world.services.filter((s) => s.state === 'ACTIVE');
  const services = new Map(active.filter((s) => s.supportingResourceIds.some((r) => hit.has(r))).map((s) => [s.id, s]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of active) {
      if (!services.has(s.id) && s.supportingServiceIds.some((id) => services.has(id))) (services.set(s.id, s), (grew = true));
    }
  }
  const all = [...services.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const customerIds = [...new Set(all.map((s) => s.customerId).filter((c): c is string => !!c))].sort();
  return { services: all, customerIds };
}
