import { describe, expect, it } from 'vitest';
import type { GraphQLResult } from '../../../kit/testing.js';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { orderWorld, productOrdersNewestFirst } from './fixture.js';

const world = orderWorld();
const sut = useSubgraphUnderTest(subgraph, world);

interface Page {
  productOrders: { totalCount: number; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

const PAGE = `query ($first: Int, $after: String, $filter: ProductOrderFilter) {
  productOrders(first: $first, after: $after, filter: $filter) {
    totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

const ids = (page: Page) => page.productOrders.edges.map((e) => e.node.id);

describe('productOrder(id)', () => {
  it('should return the order with its items, stubs of other subgraphs entities and its service orders oldest first', async () => {
    const res = await sut.query(`{ productOrder(id: "PO-789-2") {
      id externalId state priority orderDate requestedStartDate completionDate cancellationReason
      customer { id } billingAccount { id }
      items { id action state quantity productOffering { id } characteristics { name value } service { id } }
      notes { author date text } serviceOrders { id state } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.productOrder).toEqual({
      id: 'PO-789-2', externalId: 'order-67890', state: 'IN_PROGRESS', priority: 0, orderDate: '2025-01-01T10:00:00.000Z',
      requestedStartDate: null, completionDate: null, cancellationReason: null,
      customer: { id: 'CUST-789' }, billingAccount: { id: 'BA-789' },
      items: [
        { id: '1', action: 'MODIFY', state: 'IN_PROGRESS', quantity: 1, productOffering: { id: '5G_PREMIUM' }, characteristics: [{ name: 'bandwidth', value: '500Mbps' }], service: { id: 'svc-5g-001' } },
        { id: '2', action: 'ADD', state: 'ACKNOWLEDGED', quantity: 1, productOffering: { id: 'FIBRE_1G' }, characteristics: [], service: null },
      ],
      notes: [],
      serviceOrders: [{ id: 'SO-789-2A', state: 'IN_PROGRESS' }, { id: 'SO-789-2B', state: 'ACKNOWLEDGED' }],
    });
  });

  it('should return the seed example: CUST-789 ordered 5G_PREMIUM at 1Gbps, realised as svc-5g-001', async () => {
    const res = await sut.query(`{ productOrder(id: "PO-789-1") { state completionDate items { action state service { id } characteristics { name value } } } }`);
    expect(res.data?.productOrder).toEqual({
      state: 'COMPLETED', completionDate: '2025-01-01T02:00:00.000Z',
      items: [{ action: 'ADD', state: 'COMPLETED', service: { id: 'svc-5g-001' }, characteristics: [{ name: 'bandwidth', value: '1Gbps' }] }],
    });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(`{ productOrder(id: "PO-NOPE") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ productOrder: null });
  });
});

describe('productOrders pagination', () => {
  const all = productOrdersNewestFirst(world).map((o) => o.id);

  it('should list newest first with the total count', async () => {
    const res = await sut.query<Page>(PAGE, { first: 5 });
    expect(res.data?.productOrders.totalCount).toBe(world.productOrders.length);
    expect(ids(res.data!)).toEqual(all.slice(0, 5));
    expect(res.data?.productOrders.pageInfo.hasNextPage).toBe(true);
  });

  it('should walk every order exactly once by following endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const res: GraphQLResult<Page> = await sut.query<Page>(PAGE, { first: 25, after });
      seen.push(...ids(res.data!));
      const { hasNextPage, endCursor } = res.data!.productOrders.pageInfo;
      if (!hasNextPage) break;
      after = endCursor;
    }
    expect(seen).toEqual(all);
    // Two orders share an orderDate: the id (descending) orders them, so no page repeats or skips one.
    expect(seen.indexOf('PO-TIE-B')).toBe(seen.indexOf('PO-TIE-A') - 1);
  });

  it('should end with hasNextPage false, and an empty page after the final cursor', async () => {
    const first = await sut.query<Page>(PAGE, { first: 100 });
    const last = await sut.query<Page>(PAGE, { first: 100, after: first.data!.productOrders.pageInfo.endCursor });
    expect(ids(last.data!)).toEqual(all.slice(100));
    expect(last.data?.productOrders.pageInfo.hasNextPage).toBe(false);
    const beyond = await sut.query<Page>(PAGE, { first: 5, after: last.data!.productOrders.pageInfo.endCursor });
    expect(beyond.data?.productOrders).toEqual({ totalCount: all.length, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('should return no edges but the count for first: 0', async () => {
    const res = await sut.query<Page>(PAGE, { first: 0 });
    expect(res.data?.productOrders).toEqual({ totalCount: all.length, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });
});

describe('productOrders filter', () => {
  it('should keep only the given customer’s orders, newest first', async () => {
    const res = await sut.query<Page>(PAGE, { filter: { customerId: 'CUST-789' } });
    expect(res.data?.productOrders.totalCount).toBe(2);
    expect(ids(res.data!)).toEqual(['PO-789-2', 'PO-789-1']);
  });

  it('should keep only orders in the given state', async () => {
    const expected = productOrdersNewestFirst(world).filter((o) => o.state === 'FAILED').map((o) => o.id);
    const res = await sut.query<Page>(PAGE, { first: 100, filter: { state: 'FAILED' } });
    expect(expected.length).toBeGreaterThan(0);
    expect(res.data?.productOrders.totalCount).toBe(expected.length);
    expect(ids(res.data!)).toEqual(expected);
  });

  it('should combine conditions with AND', async () => {
    const res = await sut.query<Page>(PAGE, { filter: { customerId: 'CUST-789', state: 'COMPLETED' } });
    expect(ids(res.data!)).toEqual(['PO-789-1']);
  });

  it('should return an empty connection without errors for an unknown customer', async () => {
    const res = await sut.query<Page>(PAGE, { filter: { customerId: 'CUST-NOPE' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.productOrders).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('productOrders malformed arguments', () => {
  const errorOf = async (vars: Record<string, unknown>) => (await sut.query(PAGE, vars)).errors?.[0];

  it('should reject a negative first naming the argument', async () => {
    expect(await errorOf({ first: -1 })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  });

  it('should reject first above the page size cap', async () => {
    expect(await errorOf({ first: 101 })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  });

  it('should reject a cursor this API did not issue', async () => {
    expect(await errorOf({ after: 'not-a-cursor' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });

  it('should reject an unknown state as a GraphQL validation error', async () => {
    const res = await sut.query(`{ productOrders(filter: { state: SHIPPED }) { totalCount } }`);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toContain('SHIPPED');
  });
});
