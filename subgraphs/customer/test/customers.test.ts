import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { customerWorld, sortedCustomerIds } from './fixture.js';

interface CustomerPage {
  customers: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; name: string; segment: string; slaTier: string | null; status: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const CUSTOMERS = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: CustomerFilter) {
    customers(first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor node { id name segment slaTier status } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const sut = useSubgraphUnderTest(subgraph, customerWorld);

async function page(variables: Record<string, unknown>) {
  const res = await sut.query<CustomerPage>(CUSTOMERS, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.customers;
}

const idsOf = (p: CustomerPage['customers']) => p.edges.map((e) => e.node.id);
const worldWhere = (pred: (c: (typeof customerWorld.customers)[number]) => boolean) => customerWorld.customers.filter(pred).map((c) => c.id).sort();

describe('customers: pagination', () => {
  it('should return the first 20 customers by id when no arguments are given', async () => {
    const p = await page({});
    expect(p.totalCount).toBe(customerWorld.customers.length);
    expect(idsOf(p)).toEqual(sortedCustomerIds.slice(0, 20));
    expect(p.pageInfo).toEqual({ hasNextPage: true, endCursor: p.edges[19].cursor });
  });

  it('should walk every customer exactly once, in id order, following endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const p: CustomerPage['customers'] = await page({ first: 60, after });
      seen.push(...idsOf(p));
      pages += 1;
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(pages).toBe(Math.ceil(sortedCustomerIds.length / 60));
    expect(seen).toEqual(sortedCustomerIds);
  });

  it('should return the next page after a cursor', async () => {
    const first = await page({ first: 5 });
    const second = await page({ first: 5, after: first.pageInfo.endCursor });
    expect(idsOf(second)).toEqual(sortedCustomerIds.slice(5, 10));
  });

  it('should return only the total count when first is 0', async () => {
    const p = await page({ first: 0 });
    expect(p).toEqual({ totalCount: customerWorld.customers.length, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('should return an empty page past the end', async () => {
    let last = await page({ first: 100 });
    while (last.pageInfo.hasNextPage) last = await page({ first: 100, after: last.pageInfo.endCursor });
    expect(last.edges.at(-1)?.node.id).toBe(sortedCustomerIds.at(-1));
    const beyond = await page({ first: 10, after: last.pageInfo.endCursor });
    expect(beyond.edges).toEqual([]);
    expect(beyond.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });

  it('should read a page with two database commands (count and page) whatever its size', async () => {
    const small = await sut.query(CUSTOMERS, { first: 2 });
    const big = await sut.query(CUSTOMERS, { first: 100 });
    expect(small.extensions?.dbCommands).toBe(2);
    expect(big.extensions?.dbCommands).toBe(2);
  });
});

describe('customers: filters', () => {
  it('should keep only the requested segment', async () => {
    const p = await page({ first: 100, filter: { segment: 'ENTERPRISE' } });
    expect(idsOf(p)).toEqual(worldWhere((c) => c.segment === 'ENTERPRISE'));
    expect(p.totalCount).toBe(p.edges.length);
  });

  it('should keep only the requested SLA tier', async () => {
    const p = await page({ first: 100, filter: { slaTier: 'PLATINUM' } });
    expect(idsOf(p)).toEqual(worldWhere((c) => c.slaTier === 'PLATINUM'));
    expect(idsOf(p)).toContain('CUST-102');
  });

  it('should keep only the requested status', async () => {
    const p = await page({ first: 100, filter: { status: 'CLOSED' } });
    expect(idsOf(p)).toEqual(worldWhere((c) => c.status === 'CLOSED'));
    expect(p.totalCount).toBeGreaterThan(0);
  });

  it('should match names case-insensitively and treat regex characters literally', async () => {
    expect(idsOf(await page({ filter: { nameContains: 'aCmE' } }))).toEqual(['CUST-789']);
    expect(idsOf(await page({ filter: { nameContains: '(C.)' } }))).toEqual(['CUST-103']);
    expect((await page({ filter: { nameContains: 'A.me' } })).totalCount).toBe(0);
  });

  it('should combine conditions with AND and paginate the filtered list', async () => {
    const expected = worldWhere((c) => c.segment === 'ENTERPRISE' && c.slaTier === 'GOLD' && c.status === 'ACTIVE');
    const first = await page({ first: 3, filter: { segment: 'ENTERPRISE', slaTier: 'GOLD', status: 'ACTIVE' } });
    const rest = await page({ first: 100, after: first.pageInfo.endCursor, filter: { segment: 'ENTERPRISE', slaTier: 'GOLD', status: 'ACTIVE' } });
    expect(first.totalCount).toBe(expected.length);
    expect([...idsOf(first), ...idsOf(rest)]).toEqual(expected);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('should return an empty connection when nothing matches', async () => {
    const p = await page({ filter: { segment: 'CONSUMER', slaTier: 'GOLD' } });
    expect(p).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});
