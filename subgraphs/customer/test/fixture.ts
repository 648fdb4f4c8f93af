import { partialWorld } from '../../../kit/testing.js';
import type { SlaTier, World, WorldCustomer, WorldInteraction } from '../../../seed/world.js';

/**
 * A hand-written customer world (seed/generate.ts did not exist when these tests were written):
 * the seed-document landmark CUST-789, a few named parties, and 200 generated customers so that
 * pagination and batching have volume. Only `customers` and `interactions` matter here.
 */

const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);
const TIERS: SlaTier[] = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'];

function contact(id: string, city: string) {
  return {
    email: `${id.toLowerCase()}@example.com`,
    phone: `+4930${id.replace(/\D/g, '').padStart(7, '0')}`,
    address: { street: `Hauptstraße ${id.replace(/\D/g, '')}`, city, postCode: '10115', country: 'DE' },
  };
}

const NAMED: WorldCustomer[] = [
  {
    id: 'CUST-789', name: 'Acme Logistics GmbH', segment: 'ENTERPRISE', slaTier: 'GOLD', status: 'ACTIVE',
    organization: { name: 'Acme Logistics GmbH', tradingName: 'Acme Logistics', isLegalEntity: true },
    ...contact('CUST-789', 'Berlin'), creditScore: 780, createdAt: day(0),
  },
  {
    id: 'CUST-100', name: 'Anna Schmidt', segment: 'CONSUMER', slaTier: null, status: 'ACTIVE',
    individual: { givenName: 'Anna', familyName: 'Schmidt', birthDate: '1988-04-12T00:00:00.000Z' },
    ...contact('CUST-100', 'Hamburg'), creditScore: 610, createdAt: day(3),
  },
  {
    id: 'CUST-101', name: 'Bernd Müller', segment: 'CONSUMER', slaTier: null, status: 'SUSPENDED',
    individual: { givenName: 'Bernd', familyName: 'Müller', birthDate: '1975-11-02T00:00:00.000Z' },
    ...contact('CUST-101', 'München'), creditScore: 420, createdAt: day(5),
  },
  {
    id: 'CUST-102', name: 'Nordwind Energie AG', segment: 'ENTERPRISE', slaTier: 'PLATINUM', status: 'ACTIVE',
    organization: { name: 'Nordwind Energie AG', tradingName: 'Nordwind', isLegalEntity: true },
    ...contact('CUST-102', 'Kiel'), creditScore: 820, createdAt: day(7),
  },
  {
    id: 'CUST-103', name: 'Clara (C.) Weiss', segment: 'CONSUMER', slaTier: null, status: 'PROSPECT',
    individual: { givenName: 'Clara', familyName: 'Weiss', birthDate: '1999-07-30T00:00:00.000Z' },
    ...contact('CUST-103', 'Köln'), creditScore: 700, createdAt: day(9),
  },
];

/** Generated customers CUST-1000…CUST-1199: every 4th is an enterprise (tiers cycle), every 10th closed. */
function generatedCustomer(i: number): WorldCustomer {
  const id = `CUST-${1000 + i}`;
  const enterprise = i % 4 === 0;
  return {
    id,
    name: enterprise ? `Company ${i} Ltd` : `Person ${i} Example`,
    segment: enterprise ? 'ENTERPRISE' : 'CONSUMER',
    slaTier: enterprise ? TIERS[(i / 4) % 4] : null,
    status: i % 10 === 9 ? 'CLOSED' : 'ACTIVE',
    ...(enterprise
      ? { organization: { name: `Company ${i} Ltd`, tradingName: `Company ${i}`, isLegalEntity: true } }
      : { individual: { givenName: `Person ${i}`, familyName: 'Example', birthDate: '1990-01-01T00:00:00.000Z' } }),
    ...contact(id, 'Leipzig'),
    creditScore: 300 + ((i * 37) % 550),
    createdAt: day(10 + i),
  };
}

const GENERATED = Array.from({ length: 200 }, (_, i) => generatedCustomer(i));

/** CUST-789's CRM history; two entries share a timestamp so the id tie-break is observable. */
const CUST_789_INTERACTIONS: WorldInteraction[] = [
  { id: 'INT-789-1', customerId: 'CUST-789', channel: 'PHONE', direction: 'INBOUND', reason: 'sales enquiry', description: 'Asked for 5G slices', createdAt: day(1) },
  { id: 'INT-789-2', customerId: 'CUST-789', channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'order progress', description: 'Order acknowledged', createdAt: day(2) },
  { id: 'INT-789-3', customerId: 'CUST-789', channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'order progress', description: 'Service activated', createdAt: day(4), relatedEntity: [{ id: 'PO-000001', referredType: 'ProductOrder', role: 'subject' }] },
  { id: 'INT-789-4', customerId: 'CUST-789', channel: 'EMAIL', direction: 'OUTBOUND', reason: 'outage notification', description: 'Fibre cut near site', createdAt: day(6), relatedEntity: [{ id: 'ALM-1', referredType: 'Alarm' }] },
  { id: 'INT-789-5', customerId: 'CUST-789', channel: 'WEB', direction: 'INBOUND', reason: 'ticket', description: 'Reported slow uplink', createdAt: day(6) },
];

/** Generated customer i has i % 3 interactions. */
const GENERATED_INTERACTIONS: WorldInteraction[] = GENERATED.flatMap((c, i) =>
  Array.from({ length: i % 3 }, (_, n) => ({
    id: `INT-${c.id}-${n}`, customerId: c.id, channel: 'SMS' as const, direction: 'OUTBOUND' as const,
    reason: 'outage notification', description: `Notice ${n}`, createdAt: day(100 + n),
  })),
);

/** The fixture world of the customer tests. */
export const customerWorld: World = partialWorld({
  customers: [...NAMED, ...GENERATED],
  interactions: [...CUST_789_INTERACTIONS, ...GENERATED_INTERACTIONS],
});

/** Customer ids in the connection's order (by id, as strings compare). */
export const sortedCustomerIds = customerWorld.customers.map((c) => c.id).sort();
