import type DataLoader from 'dataloader';
import type { Impact } from '../topology/impact.js';

const NO_IMPACT: Impact = { resourceIds: [], serviceIds: [], customers: [] };

/**
 * Membership sets of cached impacts' closures. Impacts are shared and immutable (see
 * `ImpactCache`), so a set built once serves every later request until the impact is dropped.
 */
const closureSets = new WeakMap<Impact, ReadonlySet<string>>();

function closureOf(impact: Impact): ReadonlySet<string> {
  let set = closureSets.get(impact);
  if (!set) closureSets.set(impact, (set = new Set(impact.resourceIds)));
  return set;
}

/** The union of several impacts: resources, services and customers each once, in impact order. */
function merge(impacts: readonly Impact[]): Impact {
  const resources = new Set<string>();
  const services = new Set<string>();
  const servicesOf = new Map<string, Set<string>>();
  for (const impact of impacts) {
    for (const id of impact.resourceIds) resources.add(id);
    for (const id of impact.serviceIds) services.add(id);
    for (const { customerId, serviceIds } of impact.customers) {
      let set = servicesOf.get(customerId);
      if (!set) servicesOf.set(customerId, (set = new Set()));
      for (const id of serviceIds) set.add(id);
    }
  }
  const customers = [...servicesOf.keys()].sort().map((customerId) => ({ customerId, serviceIds: [...servicesOf.get(customerId)!].sort() }));
  return { resourceIds: [...resources], serviceIds: [...services].sort(), customers };
}

/**
 * What fails when all `resourceIds` fail together: the union of their impacts under inventory's
 * one impact rule (`Resource.impactedServices`). Why not one walk from all of them: an alarm
 * group is a root cause plus thousands of children below it, so nearly every id lies inside the
 * first one's closure and adds nothing. The first id's impact comes from the shared impact
 * cache (the one `Resource.impactedCustomers` fills); only ids outside its closure are walked
 * (together, one batch), and the rare ones outside every closure found are merged in.
 * Callers put the resource most likely to cover the others (the root cause's) first.
 */
export async function unionImpact(impactOf: DataLoader<string, Impact>, resourceIds: readonly string[]): Promise<Impact> {
  const ids = [...new Set(resourceIds)];
  if (ids.length === 0) return NO_IMPACT;
  const first = await impactOf.load(ids[0]);
  const firstClosure = closureOf(first);
  const outside = ids.filter((id) => !firstClosure.has(id));
  if (outside.length === 0) return first;
  const loaded = await impactOf.loadMany(outside);
  const others = loaded.map((impact) => {
    if (impact instanceof Error) throw impact;
    return impact;
  });
  // Largest first, so the smaller ones inside an already kept closure are dropped unmerged.
  others.sort((a, b) => b.resourceIds.length - a.resourceIds.length);
  const kept: Impact[] = [first];
  const covered = [firstClosure];
  for (const impact of others) {
    const root = impact.resourceIds[0];
    if (covered.some((closure) => closure.has(root))) continue;
    kept.push(impact);
    covered.push(closureOf(impact));
  }
  return kept.length === 1 ? first : merge(kept);
}
