/**
 * Customers (TMF629/TMF632). Ids run `CUST-700`, `CUST-701`, … so that the seed-document example
 * `CUST-789` exists at every scale; its attributes are fixed, the rest are drawn from the RNG.
 */
import type { Ctx } from './context.js';
import { COMPANY_STEMS, COMPANY_TRADES, FAMILY_NAMES, GIVEN_NAMES, LEGAL_FORMS, STREETS, slug, type RegionName } from './names.js';
import { addDays, EPOCH, pad, type Rng } from './rng.js';
import type { SlaTier, WorldCustomer } from './world.js';

/** The seed-document example customer. */
export const EXAMPLE_CUSTOMER_ID = 'CUST-789';
const FIRST_CUSTOMER_NUMBER = 700;

/** Creates `params.customers` customers and assigns each a home region. */
export function buildCustomers(ctx: Ctx): void {
  const rng = ctx.rng;
  const weights = Object.fromEntries(ctx.params.regionWeights.map((w, i) => [String(i), w]));
  const usedOrgNames = new Set<string>();
  for (let i = 0; i < ctx.params.customers; i++) {
    const id = `CUST-${FIRST_CUSTOMER_NUMBER + i}`;
    if (id === EXAMPLE_CUSTOMER_ID) {
      const example = exampleCustomer(ctx);
      ctx.world.customers.push(example);
      ctx.customerById.set(id, example);
      ctx.customerRegion.set(id, 0);
      continue;
    }
    const region = Number(rng.weighted(weights));
    const enterprise = rng.chance(ctx.params.enterpriseShare);
    const customer = enterprise ? enterpriseCustomer(rng, id, ctx.regions[region].name, usedOrgNames) : consumerCustomer(rng, id, ctx.regions[region].name);
    ctx.world.customers.push(customer);
    ctx.customerById.set(id, customer);
    ctx.customerRegion.set(id, region);
  }
}

function common(rng: Rng, region: RegionName): Pick<WorldCustomer, 'status' | 'address' | 'creditScore' | 'createdAt'> {
  const status = rng.weighted({ ACTIVE: 93, SUSPENDED: 2, PROSPECT: 3, CLOSED: 2 } as const);
  const suffix = region.postCodePrefix.length === 3 ? pad(rng.int(1, 20), 2) : String(rng.int(1, 9));
  return {
    status,
    address: { street: `${rng.int(1, 180)} ${rng.pick(STREETS)}`, city: region.city, postCode: region.postCodePrefix + suffix, country: 'FR' },
    // Suspended customers are the ones who stopped paying: their score reflects it.
    creditScore: status === 'SUSPENDED' ? rng.int(300, 520) : rng.int(520, 850),
    // At least 45 days old, so every order placed at sign-up has had time to complete.
    createdAt: addDays(EPOCH, -rng.float(45, 1400)),
  };
}

function consumerCustomer(rng: Rng, id: string, region: RegionName): WorldCustomer {
  const givenName = rng.pick(GIVEN_NAMES);
  const familyName = rng.pick(FAMILY_NAMES);
  const birthYear = rng.int(1948, 2006);
  return {
    id,
    name: `${givenName} ${familyName}`,
    segment: 'CONSUMER',
    // A few consumers pay for "premium care", the only consumer SLA.
    slaTier: rng.chance(0.03) ? 'BRONZE' : null,
    individual: { givenName, familyName, birthDate: `${birthYear}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}` },
    email: `${slug(givenName)}.${slug(familyName)}${rng.chance(0.5) ? rng.int(1, 99) : ''}@${rng.pick(['orange.fr', 'gmail.com', 'free.fr', 'laposte.net', 'outlook.fr'])}`,
    phone: `+336${pad(rng.int(0, 99_999_999), 8)}`,
    ...common(rng, region),
  };
}

function enterpriseCustomer(rng: Rng, id: string, region: RegionName, used: Set<string>): WorldCustomer {
  let tradingName = `${rng.pick(COMPANY_STEMS)} ${rng.pick(COMPANY_TRADES)}`;
  // Real registries have no two companies with the same name in one city; keep names unique.
  if (used.has(tradingName)) tradingName = `${tradingName} ${region.city}`;
  for (let k = 2; used.has(tradingName); k++) tradingName = `${tradingName.replace(/ \d+$/, '')} ${k}`;
  used.add(tradingName);
  const name = `${tradingName} ${rng.pick(LEGAL_FORMS)}`;
  return {
    id,
    name,
    segment: 'ENTERPRISE',
    slaTier: rng.weighted<SlaTier>({ BRONZE: 35, SILVER: 35, GOLD: 20, PLATINUM: 10 }),
    organization: { name, tradingName, isLegalEntity: rng.chance(0.97) },
    email: `${rng.pick(['contact', 'it', 'achats', 'noc'])}@${slug(tradingName)}.fr`,
    phone: `${region.phonePrefix}${pad(rng.int(0, 99_999_999), 8)}`,
    ...common(rng, region),
  };
}

/** CUST-789: an enterprise with a GOLD SLA in Paris (region 1, served by gNB-001). */
function exampleCustomer(ctx: Ctx): WorldCustomer {
  const region = ctx.regions[0].name;
  return {
    id: EXAMPLE_CUSTOMER_ID,
    name: 'Nordwind Logistique SAS',
    segment: 'ENTERPRISE',
    slaTier: 'GOLD',
    status: 'ACTIVE',
    organization: { name: 'Nordwind Logistique SAS', tradingName: 'Nordwind Logistique', isLegalEntity: true },
    email: 'it-ops@nordwind-logistique.fr',
    phone: `${region.phonePrefix}42789789`,
    address: { street: '18 rue Oberkampf', city: region.city, postCode: '75011', country: 'FR' },
    creditScore: 782,
    createdAt: new Date('2025-03-12T09:30:00.000Z'),
  };
}
