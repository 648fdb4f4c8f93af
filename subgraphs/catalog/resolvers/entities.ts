import type { CatalogContext } from './context.js';
import { toOffering, toSpecification, type OfferingNode } from './mappers.js';

/** Federation entry point for `{ __typename: 'ProductOffering', id }` representations. */
async function resolveOfferingReference(ref: { id: string }, ctx: CatalogContext) {
  const doc = await ctx.loaders.offeringById.load(ref.id);
  return doc && toOffering(doc);
}

async function productSpecification(offering: Pick<OfferingNode, 'productSpecificationId'>, _: unknown, ctx: CatalogContext) {
  if (!offering.productSpecificationId) return null;
  const doc = await ctx.loaders.specificationById.load(offering.productSpecificationId);
  return doc && toSpecification(doc);
}

/** In the bundle's order; a bundled id that no longer exists is left out rather than failing the bundle. */
async function bundledProductOfferings(offering: Pick<OfferingNode, 'bundledProductOfferingIds'>, _: unknown, ctx: CatalogContext) {
  if (offering.bundledProductOfferingIds.length === 0) return [];
  const docs = await ctx.loaders.offeringById.loadMany(offering.bundledProductOfferingIds);
  return docs.flatMap((doc) => {
    if (doc instanceof Error) throw doc;
    return doc ? [toOffering(doc)] : [];
  });
}

/** `ProductOffering` resolvers: reference resolution and relation fields (plain fields come mapped). */
export const offeringResolvers = { __resolveReference: resolveOfferingReference, productSpecification, bundledProductOfferings };

/** Federation entry point for `{ __typename: 'ProductSpecification', id }` representations. */
async function resolveSpecificationReference(ref: { id: string }, ctx: CatalogContext) {
  const doc = await ctx.loaders.specificationById.load(ref.id);
  return doc && toSpecification(doc);
}

/** `ProductSpecification` resolvers. */
export const specificationResolvers = { __resolveReference: resolveSpecificationReference };
