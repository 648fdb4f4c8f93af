/**
 * Impact over the generated topology: who is hurt when a resource fails. Dependants are found by
 * walking `reliesOn` edges in reverse (downward) from the failed resource; the customers are those
 * of ACTIVE customer-facing services realised on any resource reached. Used to pick the landmark
 * fibre link and to address outage notifications.
 */
import type { World } from './world.js';

/** Precomputed reverse edges and service placement, so repeated impact queries stay linear. */
export interface ImpactIndex {
  dependants: Map<string, string[]>;
  customersOn: Map<string, string[]>;
}

/** Builds the reverse-reliesOn and resource → customers indexes in one pass each. */
export function buildImpactIndex(world: World): ImpactIndex {
  const dependants = new Map<string, string[]>();
  for (const r of world.resources) {
    for (const up of r.reliesOn) {
      const list = dependants.get(up) ?? [];
      list.push(r.id);
      dependants.set(up, list);
    }
  }
  const customersOn = new Map<string, string[]>();
  for (const s of world.services) {
    if (s.category !== 'CUSTOMER_FACING' || s.state !== 'ACTIVE' || !s.customerId) continue;
    for (const rid of s.supportingResourceIds) {
      const list = customersOn.get(rid) ?? [];
      list.push(s.customerId);
      customersOn.set(rid, list);
    }
  }
  return { dependants, customersOn };
}

/** Distinct customers with an ACTIVE service on the resource or anything relying on it. */
export function customersBehind(index: ImpactIndex, resourceId: string): Set<string> {
  const customers = new Set<string>();
  const seen = new Set<string>([resourceId]);
  const queue = [resourceId];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const c of index.customersOn.get(id) ?? []) customers.add(c);
    for (const d of index.dependants.get(id) ?? []) {
      if (!seen.has(d)) {
        seen.add(d);
        queue.push(d);
      }
    }
  }
  return customers;
}

/** The fibre link with the most customers behind it (ties: the lowest id). */
export function busiestFibreLink(world: World, index = buildImpactIndex(world)): string {
  let best = { id: '', count: -1 };
  for (const r of world.resources) {
    if (r.category !== 'FIBRE_LINK') continue;
    const count = customersBehind(index, r.id).size;
    if (count > best.count || (count === best.count && r.id < best.id)) best = { id: r.id, count };
  }
  return best.id;
}
