import { partialWorld } from '../../../kit/testing.js';
import { buildCatalog } from '../../../seed/catalog.js';
import type { World, WorldOffering } from '../../../seed/world.js';

/**
 * The catalog tests' world: the real catalog of the seed (5G_PREMIUM & co.) plus 30 synthetic
 * offerings so pagination and batching have volume. Synthetic offerings share one specification
 * (stored once), every third is retired and not sellable.
 */
const SHARED_SPEC: WorldOffering['specification'] = {
  id: 'PS-TEST-SHARED',
  name: 'Test Lab Data',
  characteristics: [
    { name: 'quota', valueType: 'INTEGER', allowedValues: [], mandatory: true },
    { name: 'roaming', valueType: 'BOOLEAN', allowedValues: ['true', 'false'], defaultValue: 'false', mandatory: false },
  ],
  serviceSpecifications: [{ id: 'SS-TEST', name: 'Test Service' }],
  resourceSpecifications: [{ id: 'RS-TEST-CPE', name: 'Test CPE', category: 'CPE' }],
};

function syntheticOffering(i: number): WorldOffering {
  const id = `ZZ_TEST_${String(i).padStart(2, '0')}`;
  const retired = i % 3 === 2;
  return {
    id,
    name: `Test Lab Plan ${i}`,
    description: `Synthetic offering ${i}`,
    isSellable: !retired,
    lifecycleStatus: retired ? 'RETIRED' : 'LAUNCHED',
    category: 'Test Lab',
    specification: SHARED_SPEC,
    prices: [{ id: `POP-${id}-MRC`, name: 'Monthly subscription', priceType: 'RECURRING', recurringChargePeriod: 'MONTH', amount: 10 + i, currency: 'EUR' }],
  };
}

/** The real seed catalog. */
export const seedOfferings = buildCatalog();
export const syntheticOfferings = Array.from({ length: 30 }, (_, i) => syntheticOffering(i));

/** The fixture world of the catalog tests (only `offerings` matters here). */
export const catalogWorld: World = partialWorld({ offerings: [...seedOfferings, ...syntheticOfferings] });

/** Offering ids in the connection's order (by id, as strings compare). */
export const sortedOfferingIds = catalogWorld.offerings.map((o) => o.id).sort();
