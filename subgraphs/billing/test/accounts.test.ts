import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { ACTIVATED_AT, billingWorld } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, billingWorld);

interface Conn {
  totalCount: number;
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
type AccountLists = { billingAccount: Record<'charges' | 'bills' | 'payments', Conn> };

const LISTS = `query ($id: ID!, $first: Int, $after: String) { billingAccount(id: $id) {
  charges(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  bills(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  payments(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } } }`;

const lists = (id: string, vars: { first?: number; after?: string | null } = {}) => sut.query<AccountLists>(LISTS, { id, ...vars });
const ids = (conn: Conn) => conn.edges.map((e) => e.node.id);

describe('billingAccount(id)', () => {
  it('should return the account with its balance, owner and payment method', async () => {
    const res = await sut.query(`{ billingAccount(id: "BA-789") {
      id name state currency customer { id } balance { amount currency } paymentMethod { id type name } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.billingAccount).toEqual({
      id: 'BA-789', name: 'CUST-789 main account', state: 'ACTIVE', currency: 'EUR', customer: { id: 'CUST-789' },
      balance: { amount: 59.98, currency: 'EUR' }, paymentMethod: { id: 'BA-789-PM', type: 'BANK_CARD', name: 'Card' },
    });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(`{ billingAccount(id: "BA-NOPE") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ billingAccount: null });
  });
});

describe('BillingAccount.charges', () => {
  it('should list charges newest first, recurring and one-time ones starting at the service activation', async () => {
    const res = await sut.query(`{ billingAccount(id: "BA-789") { charges { totalCount edges { node {
      id chargeType description price { amount currency } startDate endDate state productOffering { id } service { id } } } } } }`);
    expect(res.errors).toBeUndefined();
    const activation = ACTIVATED_AT.toISOString();
    const common = { endDate: null, state: 'ACTIVE', productOffering: { id: '5G_PREMIUM' }, service: { id: 'svc-5g-001' } };
    expect(res.data?.billingAccount).toEqual({ charges: { totalCount: 3, edges: [
      { node: { id: 'CH-789-3', chargeType: 'USAGE', description: 'Data 7 GB', price: { amount: 3.5, currency: 'EUR' }, startDate: '2025-02-10T08:00:00.000Z', ...common } },
      // Equal start dates: the higher id first, as the index orders them.
      { node: { id: 'CH-789-2', chargeType: 'ONE_TIME', description: '5G Premium activation', price: { amount: 19.99, currency: 'EUR' }, startDate: activation, ...common } },
      { node: { id: 'CH-789-1', chargeType: 'RECURRING', description: '5G Premium monthly fee', price: { amount: 49.99, currency: 'EUR' }, startDate: activation, ...common } },
    ] } });
  });
});

describe('account connections pagination', () => {
  it('should page charges, bills and payments with first/after and say whether more follow', async () => {
    const first = (await lists('BA-789', { first: 2 })).data!.billingAccount;
    expect(ids(first.charges)).toEqual(['CH-789-3', 'CH-789-2']);
    expect(ids(first.bills)).toEqual(['BILL-789-3', 'BILL-789-2']);
    expect(ids(first.payments)).toEqual(['PAY-789-2', 'PAY-789-1']);
    expect([first.charges.totalCount, first.bills.totalCount, first.payments.totalCount]).toEqual([3, 3, 2]);
    expect([first.charges.pageInfo.hasNextPage, first.bills.pageInfo.hasNextPage, first.payments.pageInfo.hasNextPage]).toEqual([true, true, false]);

    const next = (await lists('BA-789', { first: 2, after: first.charges.pageInfo.endCursor })).data!.billingAccount;
    expect(ids(next.charges)).toEqual(['CH-789-1']);
    expect(ids(next.bills)).toEqual(['BILL-789-1']);
    expect(next.charges.pageInfo).toEqual({ hasNextPage: false, endCursor: next.charges.edges[0].cursor });
    expect(next.payments).toEqual({ totalCount: 2, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('should return only counts for first: 0', async () => {
    const res = (await lists('BA-789', { first: 0 })).data!.billingAccount;
    expect(res.charges).toEqual({ totalCount: 3, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('should return empty connections for an account without charges or payments', async () => {
    const res = (await lists('BA-1004')).data!.billingAccount;
    expect(res.charges).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    expect(res.payments.totalCount).toBe(0);
    expect(ids(res.bills)).toEqual(['BILL-1004-1']);
  });
});

describe('account connections malformed arguments', () => {
  const CONNECTIONS = ['charges', 'bills', 'payments'] as const;
  /** The first error of one connection queried alone (a bad page nulls the whole account). */
  const errorOf = async (connection: (typeof CONNECTIONS)[number], vars: { first?: number; after?: string }) =>
    (await sut.query(`query ($first: Int, $after: String) { billingAccount(id: "BA-789") { ${connection}(first: $first, after: $after) { totalCount } } }`, vars)).errors?.[0];

  it.each(CONNECTIONS)('should reject a negative first on %s naming the argument', async (connection) => {
    expect(await errorOf(connection, { first: -1 })).toMatchObject({ path: ['billingAccount', connection], extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  });

  it.each(CONNECTIONS)('should reject first above the page size cap on %s', async (connection) => {
    expect(await errorOf(connection, { first: 101 })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' } });
  });

  it.each(CONNECTIONS)('should reject a cursor this API did not issue on %s', async (connection) => {
    expect(await errorOf(connection, { after: 'bm90LWEtY3Vyc29y' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });

  it('should reject an argument of the wrong type as a GraphQL validation error', async () => {
    const res = await sut.query(`{ billingAccount(id: "BA-789") { charges(first: "ten") { totalCount } } }`);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
