import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

interface InteractionConnection {
  totalCount: number;
  edges: { cursor: string; node: { id: string; channel: string; direction: string; reason: string; description: string | null; createdAt: string; relatedEntity: unknown[] } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const INTERACTIONS = /* GraphQL */ `
  query ($id: ID!, $first: Int, $after: String) {
    customer(id: $id) {
      interactions(first: $first, after: $after) {
        totalCount
        edges { cursor node { id channel direction reason description createdAt relatedEntity { id referredType role } } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }`;

const LIST_WITH_INTERACTIONS = /* GraphQL */ `
  query ($first: Int) {
    customers(first: $first) {
      edges { node { id interactions(first: 2) { totalCount edges { node { id } } } } }
    }
  }`;

const sut = useSubgraphUnderTest(subgraph, customerWorld);

async function interactionsOf(variables: Record<string, unknown>) {
  const res = await sut.query<{ customer: { interactions: InteractionConnection } | null }>(INTERACTIONS, variables);
  expect(res.errors).toBeUndefined();
  return res.data!.customer!.interactions;
}

describe('Customer.interactions', () => {
  it('should list interactions newest first, breaking equal times by id', async () => {
    const c = await interactionsOf({ id: 'CUST-789' });
    expect(c.totalCount).toBe(5);
    expect(c.edges.map((e) => e.node.id)).toEqual(['INT-789-4', 'INT-789-5', 'INT-789-3', 'INT-789-2', 'INT-789-1']);
    expect(c.edges[0].node).toEqual({
      id: 'INT-789-4', channel: 'EMAIL', direction: 'OUTBOUND', reason: 'outage notification',
      description: 'Fibre cut near site', createdAt: '2025-01-07T00:00:00.000Z', relatedEntity: [{ id: 'ALM-1', referredType: 'Alarm', role: null }],
    });
    expect(c.edges[2].node.relatedEntity).toEqual([{ id: 'PO-000001', referredType: 'ProductOrder', role: 'subject' }]);
    expect(c.pageInfo.hasNextPage).toBe(false);
  });

  it('should page with first and after', async () => {
    const first = await interactionsOf({ id: 'CUST-789', first: 2 });
    expect(first.edges.map((e) => e.node.id)).toEqual(['INT-789-4', 'INT-789-5']);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1].cursor });
    const second = await interactionsOf({ id: 'CUST-789', first: 2, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.id)).toEqual(['INT-789-3', 'INT-789-2']);
    const last = await interactionsOf({ id: 'CUST-789', first: 2, after: second.pageInfo.endCursor });
    expect(last.edges.map((e) => e.node.id)).toEqual(['INT-789-1']);
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(last.totalCount).toBe(5);
  });

  it('should give the total alone when first is 0', async () => {
    const c = await interactionsOf({ id: 'CUST-789', first: 0 });
    expect(c.totalCount).toBe(5);
    expect(c.edges).toEqual([]);
  });

  it('should return an empty connection for a customer without interactions', async () => {
    const c = await interactionsOf({ id: 'CUST-100' });
    expect(c).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('should give every customer of a list its own interactions', async () => {
    const res = await sut.query<{ customers: { edges: { node: { id: string; interactions: { totalCount: number } } }[] } }>(LIST_WITH_INTERACTIONS, { first: 100 });
    expect(res.errors).toBeUndefined();
    const expected = (id: string) => customerWorld.interactions.filter((i) => i.customerId === id).length;
    for (const { node } of res.data!.customers.edges) expect(node.interactions.totalCount).toBe(expected(node.id));
  });

  it('should load the interactions of a whole page of customers in one command (no N+1)', async () => {
    const small = await sut.query(LIST_WITH_INTERACTIONS, { first: 3 });
    const big = await sut.query(LIST_WITH_INTERACTIONS, { first: 100 });
    expect(small.errors).toBeUndefined();
    expect(big.errors).toBeUndefined();
    // count + page of customers + one aggregation for all their interactions
    expect(small.extensions?.dbCommands).toBe(3);
    expect(big.extensions?.dbCommands).toBe(3);
  });
});
