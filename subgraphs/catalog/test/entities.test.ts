import { beforeAll, describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { queryEntities, representations, type Representation } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { catalogWorld, seedOfferings, syntheticOfferings } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, catalogWorld);
beforeAll(async () => {
  // The world has no bundles; store one the way the catalog would, through its own model.
  await sut.subgraph.conn.model('ProductOffering').create({
    _id: 'BUNDLE_5G_FIBRE', name: '5G + Fibre bundle', isBundle: true, isSellable: true, lifecycleStatus: 'LAUNCHED',
    category: [{ id: 'bundles', name: 'Bundles' }], bundledProductOfferingIds: ['5G_PREMIUM', 'GONE_OFFER', 'FIBRE_1G'],
  });
});

const ENTITIES = /* GraphQL */ `
  __typename
  ... on ProductOffering { id name productSpecification { id } }
  ... on ProductSpecification { id name characteristics { name } }`;

const entities = (reps: Representation[]) => queryEntities(sut, ENTITIES, reps);
const offeringRefs = (ids: string[]) => representations('ProductOffering', ids);

describe('reference resolution (_entities)', () => {
  it('should resolve offerings and specifications in the order they arrive', async () => {
    const res = await entities([
      { __typename: 'ProductSpecification', id: 'PS-5G-PREMIUM' },
      { __typename: 'ProductOffering', id: '5G_PREMIUM' },
      { __typename: 'ProductOffering', id: 'FIBRE_1G' },
    ]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([
      { __typename: 'ProductSpecification', id: 'PS-5G-PREMIUM', name: '5G Premium Data', characteristics: seedOfferings[0].specification.characteristics.map((c) => ({ name: c.name })) },
      { __typename: 'ProductOffering', id: '5G_PREMIUM', name: '5G Premium', productSpecification: { id: 'PS-5G-PREMIUM' } },
      { __typename: 'ProductOffering', id: 'FIBRE_1G', name: 'Fibre 1G', productSpecification: { id: 'PS-FIBRE-1G' } },
    ]);
  });

  it('should resolve unknown ids to null without errors, keeping positions', async () => {
    const res = await entities([{ __typename: 'ProductOffering', id: 'NOPE' }, { __typename: 'ProductSpecification', id: 'PS-NOPE' }, { __typename: 'ProductOffering', id: '5G_BASIC' }]);
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toEqual([null, null, expect.objectContaining({ id: '5G_BASIC' })]);
  });

  it('should resolve any number of offerings, with their specifications, in a constant number of commands', async () => {
    const few = await entities(offeringRefs(syntheticOfferings.slice(0, 3).map((o) => o.id)));
    const many = await entities(offeringRefs(catalogWorld.offerings.map((o) => o.id)));
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect((many.data?._entities as unknown[]).length).toBe(catalogWorld.offerings.length);
    // one find for the offerings, one for their specifications
    expect(few.extensions?.dbCommands).toBe(2);
    expect(many.extensions?.dbCommands).toBe(2);
  });
});

describe('relation fields', () => {
  it('should list bundled offerings in bundle order, leaving out ids that no longer exist', async () => {
    const res = await sut.query('{ productOffering(id: "BUNDLE_5G_FIBRE") { isBundle lifecycleStatus bundledProductOfferings { id } productSpecification { id } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.productOffering).toEqual({ isBundle: true, lifecycleStatus: 'LAUNCHED', bundledProductOfferings: [{ id: '5G_PREMIUM' }, { id: 'FIBRE_1G' }], productSpecification: null });
  });

  it('should resolve specifications of a page of offerings in one command (no N+1)', async () => {
    const query = 'query ($first: Int) { productOfferings(first: $first) { edges { node { id productSpecification { id resourceSpecifications { category } } bundledProductOfferings { id productSpecification { id } } } } } }';
    const small = await sut.query(query, { first: 2 });
    const big = await sut.query(query, { first: 100 });
    expect(small.errors).toBeUndefined();
    expect(big.errors).toBeUndefined();
    // count + page + one find for all specifications. The big page also holds the bundle: its
    // members come primed from the page, only the member missing from it costs one more find.
    expect(small.extensions?.dbCommands).toBe(3);
    expect(big.extensions?.dbCommands).toBe(4);
  });
});
