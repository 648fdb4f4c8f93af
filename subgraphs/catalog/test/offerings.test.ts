import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import type { WorldOffering } from '../../../seed/world.js';
import { subgraph } from '../index.js';
import { catalogWorld, sortedOfferingIds } from './fixture.js';

interface OfferingPage {
  productOfferings: {
    totalCount: number;
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const OFFERINGS = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: ProductOfferingFilter) {
    productOfferings(first: $first, after: $after, filter: $filter) {
      totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor }
    }
  }`;

const sut = useSubgraphUnderTest(subgraph, catalogWorld);

async function page(variables: Record<string, unknown>) {
  const res = await sut.query<OfferingPage>(OFFERINGS, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.productOfferings;
}

const idsOf = (p: OfferingPage['productOfferings']) => p.edges.map((e) => e.node.id);
const worldWhere = (pred: (o: WorldOffering) => boolean) => catalogWorld.offerings.filter(pred).map((o) => o.id).sort();

describe('productOfferings: pagination', () => {
  it('should return the first 20 offerings by id when no arguments are given', async () => {
    const p = await page({});
    expect(p.totalCount).toBe(catalogWorld.offerings.length);
    expect(idsOf(p)).toEqual(sortedOfferingIds.slice(0, 20));
    expect(p.pageInfo).toEqual({ hasNextPage: true, endCursor: p.edges[19].cursor });
  });

  it('should walk every offering exactly once following endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const p: OfferingPage['productOfferings'] = await page({ first: 7, after });
      seen.push(...idsOf(p));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual(sortedOfferingIds);
  });

  it('should return only the total count when first is 0', async () => {
    const p = await page({ first: 0 });
    expect(p.totalCount).toBe(catalogWorld.offerings.length);
    expect(p.edges).toEqual([]);
  });

  it('should return an empty page past the end', async () => {
    const all = await page({ first: 100 });
    expect(all.pageInfo.hasNextPage).toBe(false);
    const beyond = await page({ first: 5, after: all.pageInfo.endCursor });
    expect(beyond).toEqual({ totalCount: catalogWorld.offerings.length, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('productOfferings: filters', () => {
  it('should keep only the requested lifecycle status', async () => {
    expect(idsOf(await page({ first: 100, filter: { lifecycleStatus: 'RETIRED' } }))).toEqual(worldWhere((o) => o.lifecycleStatus === 'RETIRED'));
    expect((await page({ filter: { lifecycleStatus: 'IN_DESIGN' } })).totalCount).toBe(0);
  });

  it('should treat isSellable false as a condition, not as absent', async () => {
    const unsellable = await page({ first: 100, filter: { isSellable: false } });
    expect(idsOf(unsellable)).toEqual(worldWhere((o) => !o.isSellable));
    expect(idsOf(unsellable)).toContain('LTE_CLASSIC');
    expect(idsOf(await page({ first: 100, filter: { isSellable: true } }))).toEqual(worldWhere((o) => o.isSellable));
  });

  it('should filter bundles (the world has none)', async () => {
    expect((await page({ filter: { isBundle: true } })).totalCount).toBe(0);
    expect((await page({ filter: { isBundle: false } })).totalCount).toBe(catalogWorld.offerings.length);
  });

  it('should keep only offerings of a category', async () => {
    expect(idsOf(await page({ first: 100, filter: { categoryId: 'mobile' } }))).toEqual(worldWhere((o) => o.category === 'Mobile'));
    expect((await page({ first: 100, filter: { categoryId: 'test-lab' } })).totalCount).toBe(30);
  });

  it('should match names case-insensitively and literally', async () => {
    expect(idsOf(await page({ filter: { nameContains: '5g PREM' } }))).toEqual(['5G_PREMIUM']);
    expect((await page({ filter: { nameContains: '5G.Premium' } })).totalCount).toBe(0);
  });

  it('should combine conditions with AND', async () => {
    const p = await page({ first: 100, filter: { categoryId: 'mobile', isSellable: true, nameContains: '5g' } });
    const expected = worldWhere((o) => o.category === 'Mobile' && o.isSellable && /5g/i.test(o.name));
    expect(expected.length).toBeGreaterThan(0);
    expect(idsOf(p)).toEqual(expected);
  });
});
