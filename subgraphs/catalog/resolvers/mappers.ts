import type { OfferingDoc, SpecificationDoc } from '../models.js';

function toTimePeriod(p: { startDateTime?: Date | null; endDateTime?: Date | null } | null | undefined) {
  if (!p || (!p.startDateTime && !p.endDateTime)) return null;
  return { startDateTime: p.startDateTime ?? null, endDateTime: p.endDateTime ?? null };
}

/** GraphQL `ProductOfferingPrice` from its stored form (money is stored flat). */
export function toPrice(p: OfferingDoc['prices'][number]) {
  return {
    id: p.id,
    name: p.name,
    description: p.description ?? null,
    priceType: p.priceType,
    recurringChargePeriod: p.recurringChargePeriod ?? null,
    price: { amount: p.amount, currency: p.currency },
    unitOfMeasure: p.unitOfMeasure ?? null,
    ratingGroup: p.ratingGroup ?? null,
  };
}

/** The GraphQL shape of a price. */
export type PriceNode = ReturnType<typeof toPrice>;

/**
 * GraphQL `ProductOffering` from its document. The relation ids stay on the object (not in the
 * SDL) so `productSpecification` and `bundledProductOfferings` can resolve through loaders.
 */
export function toOffering(doc: OfferingDoc) {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description ?? null,
    isBundle: doc.isBundle,
    isSellable: doc.isSellable,
    lifecycleStatus: doc.lifecycleStatus,
    category: doc.category.map((c) => ({ id: c.id, name: c.name })),
    prices: doc.prices.map(toPrice),
    serviceLevelAgreement: doc.serviceLevelAgreement ? { id: doc.serviceLevelAgreement.id, name: doc.serviceLevelAgreement.name } : null,
    validFor: toTimePeriod(doc.validFor),
    productSpecificationId: doc.productSpecificationId ?? null,
    bundledProductOfferingIds: [...doc.bundledProductOfferingIds],
  };
}

/** The GraphQL shape of a product offering (plus its relation ids). */
export type OfferingNode = ReturnType<typeof toOffering>;

/** GraphQL `ProductSpecification` from its document. */
export function toSpecification(doc: SpecificationDoc) {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description ?? null,
    characteristics: doc.characteristics.map((c) => ({
      name: c.name,
      description: c.description ?? null,
      valueType: c.valueType,
      allowedValues: [...c.allowedValues],
      defaultValue: c.defaultValue ?? null,
      mandatory: c.mandatory,
    })),
    serviceSpecifications: doc.serviceSpecifications.map((s) => ({ id: s.id, name: s.name })),
    resourceSpecifications: doc.resourceSpecifications.map((r) => ({ id: r.id, name: r.name, category: r.category })),
  };
}

/** The GraphQL shape of a product specification. */
export type SpecificationNode = ReturnType<typeof toSpecification>;
