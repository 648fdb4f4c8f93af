import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { ACTIVATED_AT, billingWorld, GENERATED_ACCOUNTS } from './fixture.js';

/** What billing contributes to inventory's `Service`: its charges and its charging profile. */
const sut = useSubgraphUnderTest(subgraph, billingWorld);

interface ServiceBilling {
  id: string;
  charges: { totalCount: number; edges: { node: { id: string; chargeType: string; startDate: string } }[]; pageInfo: { hasNextPage: boolean } };
  chargingProfile: { ratingGroups: string[]; since: string; billingAccount: { id: string } } | null;
}

const SERVICE = `... on Service { id
  charges(first: 5) { totalCount edges { node { id chargeType startDate } } pageInfo { hasNextPage } }
  chargingProfile { ratingGroups since billingAccount { id } } }`;

const services = (ids: string[]) => queryEntities<ServiceBilling>(sut, SERVICE, representations('Service', ids));

describe('Service (billing’s fields)', () => {
  it('should resolve a service’s charges newest first and its charging profile by reference', async () => {
    const res = await services(['svc-5g-001']);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{
      id: 'svc-5g-001',
      charges: {
        totalCount: 3,
        // Equal start dates: the id breaks the tie, descending like the account's list.
        edges: [
          { node: { id: 'CH-789-3', chargeType: 'USAGE', startDate: '2025-02-10T08:00:00.000Z' } },
          { node: { id: 'CH-789-2', chargeType: 'ONE_TIME', startDate: ACTIVATED_AT.toISOString() } },
          { node: { id: 'CH-789-1', chargeType: 'RECURRING', startDate: ACTIVATED_AT.toISOString() } },
        ],
        pageInfo: { hasNextPage: false },
      },
      chargingProfile: { ratingGroups: ['DATA_5G_PREMIUM'], since: ACTIVATED_AT.toISOString(), billingAccount: { id: 'BA-789' } },
    }]);
  });

  it('should give a service billing does not charge no charges and no profile', async () => {
    const res = await services(['svc-not-active']);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{ id: 'svc-not-active', charges: { totalCount: 0, edges: [], pageInfo: { hasNextPage: false } }, chargingProfile: null }]);
  });

  it('should load the charges and profiles of many services in the same number of commands as of one', async () => {
    // Generated account i charges services svc-<1000+i>-1 … (i % 4 of them).
    const ids = Array.from({ length: GENERATED_ACCOUNTS }, (_, i) => `svc-${1001 + i}-1`);
    const one = await services(ids.slice(0, 1));
    const many = await services(ids);
    expect(many.errors).toBeUndefined();
    expect(many.data!._entities.filter((s) => s.chargingProfile).length).toBeGreaterThan(50);
    expect(many.extensions?.dbCommands).toBe(one.extensions?.dbCommands);
  });
});
