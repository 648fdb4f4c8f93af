import { loadAll } from '../loaders.js';
import type { ResourceDoc } from '../models.js';
import { upstreamClosure } from '../topology/upstream.js';
import type { InventoryContext } from './context.js';
import { impactedCustomers, impactedServices } from './impact.js';

type RelationshipType = 'RELIES_ON' | 'BUNDLED';

/**
 * The recorded relationships, `RELIES_ON` in stored order then `BUNDLED`, each paired with its
 * loaded target (one batched load); relationships to resources that do not exist are left
 * out, since `resource` is non-null.
 */
async function relationships(resource: ResourceDoc, ctx: InventoryContext) {
  const recorded: { relationshipType: RelationshipType; id: string }[] = [
    ...resource.reliesOn.map((id) => ({ relationshipType: 'RELIES_ON' as const, id })),
    ...(resource.bundledIn ? [{ relationshipType: 'BUNDLED' as const, id: resource.bundledIn }] : []),
  ];
  const targets = await loadAll(ctx.loaders.resourceById, recorded.map((r) => r.id));
  return recorded.flatMap((r, i) => {
    const target = targets[i];
    return target ? [{ relationshipType: r.relationshipType, resource: target }] : [];
  });
}

/** Field resolvers of `Resource` over a stored resource document. */
export const Resource = {
  __resolveReference: (ref: { id: string }, ctx: InventoryContext) => ctx.loaders.resourceById.load(ref.id),
  id: (resource: ResourceDoc) => resource._id,
  href: (resource: ResourceDoc) => `/resource/${resource._id}`,
  characteristics: (resource: ResourceDoc) => resource.characteristics.map((c) => ({ name: c.name, value: c.value, unit: c.unit ?? null })),
  capacity: (resource: ResourceDoc) => {
    const c = resource.capacity;
    return c ? { total: c.total, used: c.used, available: c.total - c.used, unit: c.unit } : null;
  },
  relationships: (resource: ResourceDoc, _args: unknown, ctx: InventoryContext) => relationships(resource, ctx),
  dependsOn: (resource: ResourceDoc, _args: unknown, ctx: InventoryContext) => upstreamClosure(resource, (ids) => loadAll(ctx.loaders.resourceById, ids)),
  impactedServices,
  impactedCustomers,
};
