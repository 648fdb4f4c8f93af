import DataLoader from 'dataloader';
import type { AppConfig } from '../../kit/config.js';
import { byIdLoader, manyInKeyOrder } from '../../kit/loaders.js';
import type { ReservationDoc } from './fulfilment/models.js';
import { watchTopology, type Models, type ResourceDoc, type ServiceDoc } from './models.js';
import type { Impact } from './topology/impact.js';
import { cachedImpact, ImpactCache } from './topology/impact-cache.js';

/** Per-request loaders of the inventory subgraph. */
export interface Loaders {
  serviceById: DataLoader<string, ServiceDoc | null>;
  resourceById: DataLoader<string, ResourceDoc | null>;
  /** A customer's services in any state, oldest first (by creation, then id). */
  servicesByCustomer: DataLoader<string, ServiceDoc[]>;
  /**
   * Fault impact per resource, memoised for the request: `totalCount`, `edges`,
   * `impactedServices` and `impactedCustomers` of one resource share one walk, and the walks
   * of several resources in one query are done together. Across requests, the process-wide
   * `ImpactCache` answers repeated questions until the next write.
   */
  impact: DataLoader<string, Impact>;
  /** Fulfilment reservations by id (the caller's reservationId). */
  reservationById: DataLoader<string, ReservationDoc | null>;
}

const impactCaches = new WeakMap<Models, ImpactCache>();

/**
 * Starts the process-wide impact cache of these models (the module's `prepare` hook, run once
 * at start-up) with the change streams that invalidate it.
 */
export async function startImpactCache(models: Models): Promise<void> {
  const cache = new ImpactCache();
  impactCaches.set(models, cache);
  watchTopology(models, { onOpen: () => cache.enable(), onChange: () => cache.clear(), onLost: () => cache.disable() });
}

/** Creates the loaders for one request. */
export function createLoaders(models: Models, _config?: AppConfig): Loaders {
  const serviceById = byIdLoader((ids) => models.Service.find({ _id: { $in: ids } }).lean<ServiceDoc[]>().exec());
  const resourceById = byIdLoader((ids) => models.Resource.find({ _id: { $in: ids } }).lean<ResourceDoc[]>().exec());
  const servicesByCustomer = new DataLoader<string, ServiceDoc[]>(async (customerIds) => {
    const docs = await models.Service.find({ customerId: { $in: [...customerIds] } }).sort({ customerId: 1, createdAt: 1, _id: 1 }).lean<ServiceDoc[]>().exec();
    for (const doc of docs) serviceById.prime(doc._id, doc);
    return manyInKeyOrder(customerIds, docs, (doc) => doc.customerId);
  });
  // Without a started cache (models used outside startSubgraph) a never-enabled one computes every walk.
  const cache = impactCaches.get(models) ?? new ImpactCache();
  const impact = new DataLoader<string, Impact>((resourceIds) => cachedImpact(models, cache, resourceIds));
  const reservationById = byIdLoader((ids) => models.Reservation.find({ _id: { $in: ids } }).lean<ReservationDoc[]>().exec());
  return { serviceById, resourceById, servicesByCustomer, impact, reservationById };
}

/** `loadMany` that rethrows batch errors and keeps `null` for misses, in key order. */
export async function loadAll<T>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<(T | null)[]> {
  const results = await loader.loadMany(ids);
  return results.map((r) => {
    if (r instanceof Error) throw r;
    return r;
  });
}

/** The documents for `ids` in order, leaving out ids that resolve to nothing. */
export async function loadExisting<T>(loader: DataLoader<string, T | null>, ids: readonly string[]): Promise<T[]> {
  return (await loadAll(loader, ids)).filter((doc): doc is T => doc !== null);
}
