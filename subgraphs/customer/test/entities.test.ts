import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

interface EntityCustomer {
  id: string;
  name: string;
  segment: string;
  slaTier: string | null;
}

/** What the gateway sends for alarm impact: `Customer { name segment slaTier }` of many customers at once. */
const ENTITIES = /* GraphQL */ `... on Customer { id name segment slaTier }`;

const sut = useSubgraphUnderTest(subgraph, customerWorld);

const customers = (ids: string[]) => representations('Customer', ids);
const generatedIds = (n: number) => customerWorld.customers.slice(5, 5 + n).map((c) => c.id);

async function entities(ids: string[]) {
  const res = await queryEntities<EntityCustomer | null>(sut, ENTITIES, customers(ids));
  expect(res.errors).toBeUndefined();
  return { entities: res.data!._entities, dbCommands: res.extensions?.dbCommands };
}

describe('Customer reference resolution (_entities)', () => {
  it('should resolve representations in the order they arrive', async () => {
    const { entities: found } = await entities(['CUST-102', 'CUST-789', 'CUST-100']);
    expect(found).toEqual([
      { id: 'CUST-102', name: 'Nordwind Energie AG', segment: 'ENTERPRISE', slaTier: 'PLATINUM' },
      { id: 'CUST-789', name: 'Acme Logistics GmbH', segment: 'ENTERPRISE', slaTier: 'GOLD' },
      { id: 'CUST-100', name: 'Anna Schmidt', segment: 'CONSUMER', slaTier: null },
    ]);
  });

  it('should resolve unknown ids to null without errors, keeping positions', async () => {
    const { entities: found } = await entities(['CUST-NOPE', 'CUST-789', 'CUST-GONE']);
    expect(found.map((c) => c?.id ?? null)).toEqual([null, 'CUST-789', null]);
  });

  it('should resolve repeated ids to the same customer', async () => {
    const { entities: found } = await entities(['CUST-789', 'CUST-789']);
    expect(found).toEqual([expect.objectContaining({ id: 'CUST-789' }), expect.objectContaining({ id: 'CUST-789' })]);
  });

  it('should resolve any number of representations with ONE database command', async () => {
    const few = await entities(generatedIds(3));
    const many = await entities(generatedIds(150));
    // More than the server's default first batch (101), so a getMore would show up here.
    const all = await entities(customerWorld.customers.map((c) => c.id));
    expect(many.entities.map((c) => c?.id)).toEqual(generatedIds(150));
    expect(all.entities.every((c) => c !== null)).toBe(true);
    expect(few.dbCommands).toBe(1);
    expect(many.dbCommands).toBe(1);
    expect(all.dbCommands).toBe(1);
  });

  it('should resolve whole customers (party, contacts) for any number of representations with ONE command too', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) { _entities(representations: $representations) { ...Full } }
      fragment Full on Customer { id status engagedParty { __typename ... on Individual { givenName } ... on Organization { name } } contactMedium { mediumType } creditProfile { creditScore } }`;
    const few = await sut.query<{ _entities: { id: string; engagedParty: { __typename: string }; contactMedium: unknown[] }[] }>(query, { representations: customers(['CUST-789', 'CUST-100', 'CUST-1001']) });
    const many = await sut.query(query, { representations: customers(generatedIds(150)) });
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(few.data!._entities.map((c) => c.engagedParty.__typename)).toEqual(['Organization', 'Individual', 'Individual']);
    expect(few.data!._entities[0].contactMedium).toHaveLength(3);
    expect(few.extensions?.dbCommands).toBe(1);
    expect(many.extensions?.dbCommands).toBe(1);
  });

  it('should answer summary fields selected through a named fragment', async () => {
    const query = /* GraphQL */ `
      query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ...Summary } }
      fragment Summary on Customer { id name status segment slaTier }`;
    const res = await sut.query(query, { representations: customers(['CUST-102']) });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([{ __typename: 'Customer', id: 'CUST-102', name: 'Nordwind Energie AG', status: 'ACTIVE', segment: 'ENTERPRISE', slaTier: 'PLATINUM' }]);
  });

  it('should batch relation fields under entities too', async () => {
    const selection = /* GraphQL */ `... on Customer { id interactions(first: 1) { totalCount } }`;
    const few = await queryEntities(sut, selection, customers(generatedIds(3)));
    const many = await queryEntities(sut, selection, customers(generatedIds(150)));
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(few.extensions?.dbCommands).toBe(2);
    expect(many.extensions?.dbCommands).toBe(2);
  });
});
