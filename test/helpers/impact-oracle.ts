import type { World } from '../../seed/world.js';

/**
 * The impact of a resource computed the slow, obvious way straight from the world data, as an
 * oracle for the subgraph: grow sets to a fixpoint by rescanning everything until nothing changes.
 * Only ACTIVE services can fail (the others deliver nothing yet, or released their resources).
 */
export function bruteForceImpact(world: World, rootId: string): { resourceIds: Set<string>; serviceIds: string[]; customerIds: string[] } {
  const resourceIds = new Set([rootId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const r of world.resources) {
      if (!resourceIds.has(r.id) && r.reliesOn.some((id) => resourceIds.has(id))) {
        resourceIds.add(r.id);
        grew = true;
      }
    }
  }
  const active = world.services.filter((s) => s.state === 'ACTIVE');
  const serviceIds = new Set(active.filter((s) => s.supportingResourceIds.some((id) => resourceIds.has(id))).map((s) => s.id));
  for (let grew = true; grew;) {
    grew = false;
    for (const s of active) {
      if (!serviceIds.has(s.id) && s.supportingServiceIds.some((id) => serviceIds.has(id))) {
        serviceIds.add(s.id);
        grew = true;
      }
    }
  }
  const customerIds = new Set(active.filter((s) => serviceIds.has(s.id) && s.customerId).map((s) => s.customerId!));
  return { resourceIds, serviceIds: [...serviceIds].sort(), customerIds: [...customerIds].sort() };
}
