import { describe, expect, it } from 'vitest';
import { expectBadUserInput, useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { catalogWorld } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, catalogWorld);

const OFFERINGS = 'query ($first: Int, $after: String, $filter: ProductOfferingFilter) { productOfferings(first: $first, after: $after, filter: $filter) { totalCount } }';

describe('productOfferings: malformed arguments', () => {
  it('should reject a negative first', async () => {
    expectBadUserInput(await sut.query(OFFERINGS, { first: -1 }), 'first');
  });

  it('should reject first above the page-size cap', async () => {
    expectBadUserInput(await sut.query(OFFERINGS, { first: 101 }), 'first');
  });

  it('should reject a cursor this API did not issue', async () => {
    expectBadUserInput(await sut.query(OFFERINGS, { after: 'garbage' }), 'after');
  });

  it('should reject an overlong name filter', async () => {
    expectBadUserInput(await sut.query(OFFERINGS, { filter: { nameContains: 'y'.repeat(201) } }), 'filter.nameContains');
  });

  it('should reject an unknown enum value before resolving anything', async () => {
    const variable = await sut.query(OFFERINGS, { filter: { lifecycleStatus: 'SELLING' } });
    expect(variable.data).toBeUndefined();
    expect(variable.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const literal = await sut.query('{ productOfferings(filter: { lifecycleStatus: SELLING }) { totalCount } }');
    expect(literal.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('should reject a missing id before resolving anything', async () => {
    const res = await sut.query('{ productOffering { id } }');
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
