import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { generateWorld } from '../../../seed/generate.js';
import type { SlaTier } from '../../../seed/world.js';
import { subgraph } from '../index.js';

/** The generated demo world (small scale): the data the product actually ships with. */
const world = generateWorld('small');

const sut = useSubgraphUnderTest(subgraph, world);

describe('the generated world', () => {
  it('should serve the seed-document customer CUST-789 with its CRM history', async () => {
    const example = world.customers.find((c) => c.id === world.landmarks.exampleCustomerId)!;
    const history = world.interactions.filter((i) => i.customerId === example.id);
    const res = await sut.query<{ customer: { id: string; name: string; segment: string; slaTier: string | null; interactions: { totalCount: number; edges: { node: { id: string; relatedEntity: unknown[] } }[] } } }>(
      '{ customer(id: "CUST-789") { id name segment slaTier interactions(first: 50) { totalCount edges { node { id relatedEntity { id referredType role } } } } } }',
    );
    expect(res.errors).toBeUndefined();
    const customer = res.data!.customer;
    expect(customer).toMatchObject({ id: example.id, name: example.name, segment: example.segment, slaTier: example.slaTier });
    expect(customer.interactions.totalCount).toBe(history.length);
    const newestFirst = [...history].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || a.id.localeCompare(b.id));
    expect(customer.interactions.edges.map((e) => e.node.id)).toEqual(newestFirst.map((i) => i.id));
    expect(customer.interactions.edges.every((e) => e.node.relatedEntity.length > 0)).toBe(true);
  });

  it('should count customers per SLA tier as the world has them', async () => {
    for (const tier of ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] as SlaTier[]) {
      const res = await sut.query<{ customers: { totalCount: number } }>('query ($tier: SlaTier) { customers(first: 0, filter: { slaTier: $tier }) { totalCount } }', { tier });
      expect(res.data?.customers.totalCount).toBe(world.customers.filter((c) => c.slaTier === tier).length);
    }
  });

  it('should resolve every customer of the world as entities with one database command', async () => {
    const res = await sut.query<{ _entities: { id: string; name: string; segment: string; slaTier: string | null }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name segment slaTier } } }',
      { r: world.customers.map((c) => ({ __typename: 'Customer', id: c.id })) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual(world.customers.map((c) => ({ id: c.id, name: c.name, segment: c.segment, slaTier: c.slaTier })));
    expect(res.extensions?.dbCommands).toBe(1);
  });
});
