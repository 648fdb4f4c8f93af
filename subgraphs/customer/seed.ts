import { insertChunked, type BulkInsertOptions } from '../../kit/bulk-insert.js';
import type { World, WorldCustomer, WorldInteraction } from '../../seed/world.js';
import type { Models } from './models.js';

/**
 * TMF `creditRiskRating` from a credit score (300–850 scale): 1 = lowest risk … 5 = highest.
 * The world only knows scores; the rating is what CSR screens show.
 */
export function creditRiskRating(score: number): number {
  if (score >= 750) return 1;
  if (score >= 650) return 2;
  if (score >= 550) return 3;
  if (score >= 450) return 4;
  return 5;
}

/** TMF632 party of a world customer; a customer without party details is derived from its segment. */
function engagedParty(c: WorldCustomer) {
  if (c.organization) return { partyType: 'ORGANIZATION', ...c.organization };
  if (c.individual) return { partyType: 'INDIVIDUAL', ...c.individual, birthDate: new Date(c.individual.birthDate) };
  if (c.segment === 'ENTERPRISE') return { partyType: 'ORGANIZATION', name: c.name, isLegalEntity: true };
  const [givenName, ...rest] = c.name.split(' ');
  return { partyType: 'INDIVIDUAL', givenName, familyName: rest.join(' ') };
}

function customerDoc(c: WorldCustomer) {
  const since = { startDateTime: c.createdAt };
  return {
    _id: c.id,
    name: c.name,
    status: c.status,
    segment: c.segment,
    slaTier: c.slaTier,
    engagedParty: engagedParty(c),
    // One medium of each kind, so each is the preferred one of its kind.
    contactMedium: [
      { mediumType: 'EMAIL', preferred: true, emailAddress: c.email },
      { mediumType: 'PHONE', preferred: true, phoneNumber: c.phone },
      { mediumType: 'POSTAL_ADDRESS', preferred: true, ...c.address },
    ],
    creditProfile: [{ creditProfileDate: c.createdAt, creditScore: c.creditScore, creditRiskRating: creditRiskRating(c.creditScore), validFor: since }],
    validFor: since,
    // Lean inserts skip mongoose's timestamps: the customer record dates from the relationship's start.
    createdAt: c.createdAt,
    updatedAt: c.createdAt,
  };
}

function interactionDoc(i: WorldInteraction) {
  const { id, relatedEntity, ...rest } = i;
  return { _id: id, ...rest, relatedEntity: relatedEntity ?? [] };
}

/** A mapping mistake fails the seed loudly; documents already seeded (same `_id`) are kept. */
const INSERT: BulkInsertOptions = { validateFirstOfChunk: true, skip: 'duplicate-key' };

/** Stores the world's customers and CRM interactions in the customer database. */
export async function seed(models: Models, world: World, log?: (msg: string) => void): Promise<void> {
  const customers = await insertChunked(models.Customer, world.customers.map(customerDoc), INSERT);
  const interactions = await insertChunked(models.Interaction, world.interactions.map(interactionDoc), INSERT);
  log?.(`customer: seeded ${customers} customers, ${interactions} interactions`);
}
