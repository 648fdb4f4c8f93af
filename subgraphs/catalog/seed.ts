import { onlyAlreadyStored } from '../../kit/bulk-insert.js';
import type { World, WorldOffering } from '../../seed/world.js';
import type { Models } from './models.js';

/** `Mobile` → `mobile`, `Fixed Broadband` → `fixed-broadband`: category ids are slugs of their names. */
export function categoryId(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function offeringDoc(o: WorldOffering) {
  return {
    _id: o.id,
    name: o.name,
    description: o.description,
    isBundle: false, // the world has no bundles yet
    isSellable: o.isSellable,
    lifecycleStatus: o.lifecycleStatus,
    category: [{ id: categoryId(o.category), name: o.category }],
    productSpecificationId: o.specification.id,
    bundledProductOfferingIds: [],
    prices: o.prices,
    // The world names an SLA by id only; its display name follows the offering.
    serviceLevelAgreement: o.serviceLevelAgreement ? { id: o.serviceLevelAgreement, name: `${o.name} SLA` } : null,
    validFor: null,
  };
}

/** Several offerings may share a specification: it is stored once (the first offering's copy). */
function specificationDocs(offerings: WorldOffering[]) {
  const byId = new Map<string, WorldOffering['specification']>();
  for (const o of offerings) if (!byId.has(o.specification.id)) byId.set(o.specification.id, o.specification);
  return [...byId.values()].map(({ id, ...spec }) => ({ _id: id, ...spec }));
}

interface InsertsMany {
  insertMany(docs: object[], options: { ordered: boolean; throwOnValidationError: boolean }): Promise<unknown>;
}

/**
 * The catalog is small (tens of documents), so every document goes through mongoose validation;
 * `throwOnValidationError` makes an invalid one fail the seed instead of being skipped silently.
 * Documents already present are kept, so seeding a persistent database twice is harmless.
 */
async function insertMissing(model: InsertsMany, docs: object[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await model.insertMany(docs, { ordered: false, throwOnValidationError: true });
  } catch (err) {
    if (!onlyAlreadyStored(err, 'duplicate-key')) throw err;
  }
}

/** Stores the world's product offerings and their specifications in the catalog database. */
export async function seed(models: Models, world: World, log?: (msg: string) => void): Promise<void> {
  const specifications = specificationDocs(world.offerings);
  await insertMissing(models.ProductSpecification, specifications);
  await insertMissing(models.ProductOffering, world.offerings.map(offeringDoc));
  log?.(`catalog: seeded ${world.offerings.length} product offerings, ${specifications.length} product specifications`);
}
