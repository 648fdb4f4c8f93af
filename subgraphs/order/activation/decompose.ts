import type { ClientSession } from 'mongoose';
import type { AppConfig } from '../../../kit/config.js';
import { queryEach } from '../../../kit/remote.js';
import type { Models, ProductOrderDoc, ServiceOrderDoc, ServiceOrderItemDoc } from '../models.js';
import { applyServiceOrderCreation, applyStateChange } from '../outbox.js';
import { OrderWriteBatch } from '../write-batch.js';

/**
 * BSS → OSS: a product order becomes one TMF641 service order, one item per product order item,
 * built from the catalog's product → service/resource specification mapping.
 */

/** What the catalog says one offering needs from the network. */
export interface OfferingMapping {
  serviceSpecifications: { id: string; name: string }[];
  resourceSpecifications: { id: string; name: string; category: string }[];
}

/**
 * Offering mappings recently read, per offering: orders arrive in bursts for the same few
 * offerings, and specifications change with catalog releases, not per order. A mapping is at
 * most `MAPPING_TTL_MS` old when used.
 */
export class MappingCache {
  private readonly entries = new Map<string, { at: number; mapping: OfferingMapping | null }>();
  constructor(private readonly ttlMs = MAPPING_TTL_MS) {}

  async get(config: AppConfig, offeringIds: string[], now = Date.now()): Promise<Map<string, OfferingMapping | null>> {
    const missing = [...new Set(offeringIds)].filter((id) => (this.entries.get(id)?.at ?? -Infinity) + this.ttlMs <= now);
    if (missing.length) for (const [id, mapping] of await loadMappings(config, missing)) this.entries.set(id, { at: now, mapping });
    return new Map(offeringIds.map((id) => [id, this.entries.get(id)!.mapping]));
  }
}
export const MAPPING_TTL_MS = 30_000;

/**
 * Reads the mapping of every offering from the catalog's API (one request, offerings aliased);
 * null for an offering the catalog does not know. Throws SUBGRAPH_UNAVAILABLE when the catalog
 * does not answer: the caller retries.
 */
export async function loadMappings(config: AppConfig, offeringIds: string[]): Promise<Map<string, OfferingMapping | null>> {
  const offerings = await queryEach<{ productSpecification: OfferingMapping | null }>(config, 'catalog', 'productOffering',
    'productSpecification { serviceSpecifications { id name } resourceSpecifications { id name category } }', offeringIds);
  return new Map([...offerings].map(([id, offering]) => [id, offering?.productSpecification ?? null]));
}

/** The service order of a product order: one per product order, so its id derives from the product order's. */
export const serviceOrderIdOf = (productOrderId: string): string => `SO-${productOrderId.replace(/^PO-/, '')}`;

/** The saga state of an item about to start. */
export function freshSaga(): NonNullable<ServiceOrderItemDoc['saga']> {
  return { step: 'FEASIBILITY', stepStartedAt: null, reservationId: null, resources: [], configuredResourceIds: [], activationRequestedAt: null, jeopardyStep: null, failure: null, compensateTo: null, attempts: [] };
}

/**
 * The service order for `order` (pure). An item whose offering names no service specification
 * cannot be built: it is created FAILED with an error message saying so, and the saga rolls the
 * order up when it starts.
 */
export function buildServiceOrder(order: ProductOrderDoc, mappings: Map<string, OfferingMapping | null>, now: Date): ServiceOrderDoc {
  const errorMessages: ServiceOrderDoc['errorMessages'] = [];
  const items = order.items.map((item): ServiceOrderItemDoc => {
    const mapping = mappings.get(item.productOfferingId) ?? null;
    const spec = mapping?.serviceSpecifications[0];
    if (!spec) {
      errorMessages.push({ code: 'NO_SERVICE_SPECIFICATION', message: `product offering ${item.productOfferingId} names no service specification to build`, timestamp: now, itemId: item.id });
    }
    return {
      id: item.id,
      productOrderItemId: item.id,
      action: item.action,
      state: spec ? 'ACKNOWLEDGED' : 'FAILED',
      serviceId: null,
      serviceSpecification: spec ? { id: spec.id, name: spec.name } : { id: item.productOfferingId, name: item.productOfferingId },
      characteristics: item.characteristics.map((c) => ({ name: c.name, value: c.value })),
      productOfferingId: item.productOfferingId,
      resourceSpecifications: (mapping?.resourceSpecifications ?? []).map((r) => ({ id: r.id, name: r.name, category: r.category })),
      saga: spec ? freshSaga() : { ...freshSaga(), step: 'DONE' },
    };
  });
  return {
    _id: serviceOrderIdOf(order._id),
    productOrderId: order._id,
    customerId: order.customerId,
    ...(order.externalId ? { externalId: order.externalId } : {}),
    state: 'ACKNOWLEDGED',
    orderDate: now,
    completionDate: null,
    items,
    errorMessages,
    jeopardyAlerts: [],
    milestones: [],
    version: 1,
    // Never claimed yet: any instance may take it; due at once.
    claim: { owner: null, until: new Date(0) },
    sagaWakeAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Inside the caller's transaction: stores the service order with its ServiceOrderCreateEvent and
 * moves the product order (and its items) ACKNOWLEDGED → IN_PROGRESS with its event. Returns the
 * service order id, or null when the product order is no longer ACKNOWLEDGED (cancelled first,
 * or decomposed already) — nothing is written then.
 */
export async function recordDecomposition(models: Models, session: ClientSession, productOrderId: string, mappings: Map<string, OfferingMapping | null>, at?: Date): Promise<string | null> {
  // Still ACKNOWLEDGED means not decomposed yet: the service order and the move to IN_PROGRESS
  // commit together (and a second attempt would collide on the derived service order id).
  const order = await models.ProductOrder.findById(productOrderId).session(session).lean<ProductOrderDoc>();
  if (order?.state !== 'ACKNOWLEDGED') return null;
  // Stamped after the read: only the writes and the commit lie between the events' time and their visibility.
  const now = at ?? new Date();
  const serviceOrder = buildServiceOrder(order, mappings, now);
  const batch = new OrderWriteBatch(models, session);
  applyServiceOrderCreation(batch, serviceOrder);
  const items = Object.fromEntries(order.items.map((_, i) => [`items.${i}.state`, 'IN_PROGRESS']));
  await applyStateChange(batch, productOrderId, 'IN_PROGRESS', { from: ['ACKNOWLEDGED'], set: items, at: now, current: order });
  await batch.flush();
  return serviceOrder._id;
}
