import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations, type Representation } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { GENERATED_CUSTOMERS, generatedCustomerId, orderWorld, ordersOfGeneratedCustomer } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, orderWorld);

const ENTITIES = `
  ... on ProductOrder { id state customer { id } }
  ... on ServiceOrder { id serviceOrderState: state productOrder { id } }
  ... on Customer { id productOrders { id state } }`;

const entities = (reps: Representation[]) => queryEntities(sut, ENTITIES, reps);
const customers = (n: number) => representations('Customer', Array.from({ length: n }, (_, i) => generatedCustomerId(i + 1)));

describe('_entities reference resolution', () => {
  it('should resolve product orders, service orders and customers in representation order', async () => {
    const res = await entities([
      { __typename: 'ServiceOrder', id: 'SO-789-1' },
      { __typename: 'ProductOrder', id: 'PO-789-2' },
      { __typename: 'Customer', id: 'CUST-789' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { id: 'SO-789-1', serviceOrderState: 'COMPLETED', productOrder: { id: 'PO-789-1' } },
      { id: 'PO-789-2', state: 'IN_PROGRESS', customer: { id: 'CUST-789' } },
      { id: 'CUST-789', productOrders: [{ id: 'PO-789-2', state: 'IN_PROGRESS' }, { id: 'PO-789-1', state: 'COMPLETED' }] },
    ]);
  });

  it('should return null for unknown product and service orders without errors', async () => {
    const res = await entities([{ __typename: 'ProductOrder', id: 'PO-NOPE' }, { __typename: 'ServiceOrder', id: 'SO-NOPE' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([null, null]);
  });

  it('should give a customer without orders an empty list: the customer subgraph decides whether it exists', async () => {
    const res = await entities([{ __typename: 'Customer', id: 'CUST-NOPE' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{ id: 'CUST-NOPE', productOrders: [] }]);
  });
});

describe('Customer.productOrders batching', () => {
  it('should list each customer’s orders newest first', async () => {
    const res = await entities(customers(GENERATED_CUSTOMERS));
    const lists = res.data!._entities as { id: string; productOrders: { id: string }[] }[];
    lists.forEach((customer, i) => {
      const n = ordersOfGeneratedCustomer(i + 1);
      expect(customer.productOrders.map((o) => o.id)).toEqual(Array.from({ length: n }, (_, k) => `PO-${1001 + i}-${n - k}`));
    });
  });

  it('should cost one command whatever the number of customers', async () => {
    const one = await entities(customers(1));
    const all = await entities(customers(GENERATED_CUSTOMERS));
    expect(all.errors).toBeUndefined();
    expect(one.extensions?.dbCommands).toBe(1);
    expect(all.extensions?.dbCommands).toBe(1);
  });

  it('should resolve orders of many customers and their service orders in a constant number of commands', async () => {
    const selection = `... on Customer { productOrders { id serviceOrders { id productOrder { id } } } }`;
    const few = await queryEntities(sut, selection, customers(2));
    const many = await queryEntities(sut, selection, customers(GENERATED_CUSTOMERS));
    expect(many.errors).toBeUndefined();
    // One find for all customers' orders, one for all those orders' service orders.
    expect(few.extensions?.dbCommands).toBe(2);
    expect(many.extensions?.dbCommands).toBe(2);
  });

  it('should resolve many product orders by reference in one command', async () => {
    const reps = (n: number) => representations('ProductOrder', Array.from({ length: n }, (_, i) => `PO-${1001 + i}-1`));
    const one = await entities(reps(1));
    const many = await entities(reps(GENERATED_CUSTOMERS));
    expect((many.data?._entities ?? []).every((e) => e !== null)).toBe(true);
    expect(one.extensions?.dbCommands).toBe(1);
    expect(many.extensions?.dbCommands).toBe(1);
  });
});
