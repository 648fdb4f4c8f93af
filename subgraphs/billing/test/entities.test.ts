import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations, type Representation } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { billingWorld, chargesOfGeneratedAccount, GENERATED_ACCOUNTS, generatedCustomerId } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, billingWorld);

const ENTITIES = `
  ... on BillingAccount { id name }
  ... on CustomerBill { id billNo }
  ... on Customer { id billingAccount { id } }`;

const entities = (reps: Representation[]) => queryEntities(sut, ENTITIES, reps);
const customers = (n: number) => representations('Customer', Array.from({ length: n }, (_, i) => generatedCustomerId(i + 1)));

describe('_entities reference resolution', () => {
  it('should resolve accounts, bills and customers in representation order', async () => {
    const res = await entities([
      { __typename: 'CustomerBill', id: 'BILL-789-1' },
      { __typename: 'Customer', id: 'CUST-789' },
      { __typename: 'BillingAccount', id: 'BA-1001' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { id: 'BILL-789-1', billNo: 'B-789-1' },
      { id: 'CUST-789', billingAccount: { id: 'BA-789' } },
      { id: 'BA-1001', name: 'Account 1' },
    ]);
  });

  it('should return null for unknown accounts and bills without errors', async () => {
    const res = await entities([{ __typename: 'BillingAccount', id: 'BA-NOPE' }, { __typename: 'CustomerBill', id: 'BILL-NOPE' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([null, null]);
  });

  it('should give a customer without an account a null billingAccount', async () => {
    const res = await entities([{ __typename: 'Customer', id: 'CUST-NOPE' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{ id: 'CUST-NOPE', billingAccount: null }]);
  });
});

describe('Customer.billingAccount batching', () => {
  it('should cost one command whatever the number of customers', async () => {
    const one = await entities(customers(1));
    const all = await entities(customers(GENERATED_ACCOUNTS));
    expect(all.errors).toBeUndefined();
    expect((all.data?._entities as { billingAccount: { id: string } }[]).map((c) => c.billingAccount.id)).toEqual(
      Array.from({ length: GENERATED_ACCOUNTS }, (_, i) => `BA-${1001 + i}`),
    );
    expect(one.extensions?.dbCommands).toBe(1);
    expect(all.extensions?.dbCommands).toBe(1);
  });

  it('should page every account’s charges, bills and payments in one command per connection', async () => {
    const selection = `... on Customer {
      billingAccount { balance { amount } charges(first: 2) { totalCount edges { node { id } } } bills(first: 1) { totalCount } payments { totalCount } } }`;
    const few = await queryEntities(sut, selection, customers(2));
    const many = await queryEntities<{ billingAccount: { charges: { totalCount: number; edges: unknown[] } } }>(sut, selection, customers(GENERATED_ACCOUNTS));
    expect(many.errors).toBeUndefined();
    many.data!._entities.forEach((c, i) => {
      expect(c.billingAccount.charges.totalCount).toBe(chargesOfGeneratedAccount(i + 1));
      expect(c.billingAccount.charges.edges).toHaveLength(Math.min(2, chargesOfGeneratedAccount(i + 1)));
    });
    // The accounts, then one aggregate each for charges, bills and payments.
    expect(few.extensions?.dbCommands).toBe(4);
    expect(many.extensions?.dbCommands).toBe(4);
  });

  it('should resolve many accounts and bills by reference in one command each', async () => {
    const reps = (n: number) => Array.from({ length: n }, (_, i) => [
      { __typename: 'BillingAccount', id: `BA-${1001 + i}` }, { __typename: 'CustomerBill', id: `BILL-${1001 + i}-1` },
    ]).flat();
    const one = await entities(reps(1));
    const many = await entities(reps(GENERATED_ACCOUNTS));
    expect((many.data?._entities ?? []).every((e) => e !== null)).toBe(true);
    expect(one.extensions?.dbCommands).toBe(2);
    expect(many.extensions?.dbCommands).toBe(2);
  });
});
