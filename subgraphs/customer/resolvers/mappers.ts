import type { CustomerSummaryDoc } from '../loaders.js';
import type { CustomerDoc, InteractionDoc } from '../models.js';

/** A stored time period as the API shows it; absent or empty periods are null. */
function toTimePeriod(p: { startDateTime?: Date | null; endDateTime?: Date | null } | null | undefined) {
  if (!p || (!p.startDateTime && !p.endDateTime)) return null;
  return { startDateTime: p.startDateTime ?? null, endDateTime: p.endDateTime ?? null };
}

/** The `Party` union member for a stored engaged party (`__typename` picks the member). */
function toParty(p: CustomerDoc['engagedParty']) {
  if (p.partyType === 'ORGANIZATION') {
    return { __typename: 'Organization' as const, name: p.name ?? '', tradingName: p.tradingName ?? null, isLegalEntity: p.isLegalEntity ?? false };
  }
  return { __typename: 'Individual' as const, givenName: p.givenName ?? '', familyName: p.familyName ?? '', birthDate: p.birthDate ?? null };
}

/** The summary fields of a GraphQL `Customer` (all a bulk reference resolution may need). */
export function toCustomerSummary(doc: CustomerSummaryDoc) {
  return { id: doc._id, name: doc.name, status: doc.status, segment: doc.segment, slaTier: doc.slaTier ?? null };
}

/** GraphQL `Customer` from its document (relation fields such as `interactions` resolve separately). */
export function toCustomer(doc: CustomerDoc) {
  return {
    ...toCustomerSummary(doc),
    engagedParty: toParty(doc.engagedParty),
    contactMedium: doc.contactMedium.map((m) => ({
      mediumType: m.mediumType,
      preferred: m.preferred,
      emailAddress: m.emailAddress ?? null,
      phoneNumber: m.phoneNumber ?? null,
      street: m.street ?? null,
      city: m.city ?? null,
      postCode: m.postCode ?? null,
      country: m.country ?? null,
    })),
    // The SDL promises newest first whatever order the assessments were stored in.
    creditProfile: [...doc.creditProfile]
      .sort((a, b) => b.creditProfileDate.getTime() - a.creditProfileDate.getTime())
      .map((c) => ({
        creditProfileDate: c.creditProfileDate,
        creditRiskRating: c.creditRiskRating ?? null,
        creditScore: c.creditScore ?? null,
        validFor: toTimePeriod(c.validFor),
      })),
    validFor: toTimePeriod(doc.validFor),
  };
}

/** The GraphQL shape of a customer. */
export type CustomerNode = ReturnType<typeof toCustomer>;

/** GraphQL `Interaction` from its document. */
export function toInteraction(doc: InteractionDoc) {
  return {
    id: doc._id,
    channel: doc.channel,
    direction: doc.direction,
    reason: doc.reason,
    description: doc.description ?? null,
    createdAt: doc.createdAt,
    relatedEntity: doc.relatedEntity.map((r) => ({ id: r.id, referredType: r.referredType, role: r.role ?? null })),
  };
}
