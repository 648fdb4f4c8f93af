import { describe, expect, it } from 'vitest';
import { expectBadUserInput, useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { customerWorld } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, customerWorld);

const CUSTOMERS = 'query ($first: Int, $after: String, $filter: CustomerFilter) { customers(first: $first, after: $after, filter: $filter) { totalCount } }';
const INTERACTIONS = 'query ($first: Int, $after: String) { customer(id: "CUST-789") { interactions(first: $first, after: $after) { totalCount } } }';

describe('customers: malformed arguments', () => {
  it('should reject a negative first', async () => {
    expectBadUserInput(await sut.query(CUSTOMERS, { first: -1 }), 'first');
  });

  it('should reject first above the page-size cap', async () => {
    expectBadUserInput(await sut.query(CUSTOMERS, { first: 101 }), 'first');
  });

  it('should reject a cursor this API did not issue', async () => {
    expectBadUserInput(await sut.query(CUSTOMERS, { after: 'not-a-cursor' }), 'after');
  });

  it('should reject an overlong name filter', async () => {
    expectBadUserInput(await sut.query(CUSTOMERS, { filter: { nameContains: 'x'.repeat(201) } }), 'filter.nameContains');
  });

  it('should reject an unknown enum value before resolving anything', async () => {
    const res = await sut.query(CUSTOMERS, { filter: { slaTier: 'DIAMOND' } });
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('DIAMOND');
    const literal = await sut.query('{ customers(filter: { segment: RESIDENTIAL }) { totalCount } }');
    expect(literal.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('Customer.interactions: malformed arguments', () => {
  it('should reject a negative first', async () => {
    expectBadUserInput(await sut.query(INTERACTIONS, { first: -5 }), 'first');
  });

  it('should reject first above the page-size cap', async () => {
    expectBadUserInput(await sut.query(INTERACTIONS, { first: 1000 }), 'first');
  });

  it('should reject a cursor this API did not issue', async () => {
    expectBadUserInput(await sut.query(INTERACTIONS, { after: Buffer.from('x:3').toString('base64url') }), 'after');
  });
});
