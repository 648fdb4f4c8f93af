import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { until } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import type { WorldCustomer } from '../../../seed/world.js';
import { subgraph } from '../index.js';

const world = generateWorld('small');
const sut = useSubgraphUnderTest(subgraph, world);

interface Tally {
  customerCount: number;
  enterpriseCount: number;
  bySlaTier: { tier: string; count: number }[];
}

const TALLY = `query ($ids: [ID!]!) { customerTally(customerIds: $ids) { customerCount enterpriseCount bySlaTier { tier count } } }`;
const TIERS = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'];

async function tally(ids: string[]): Promise<{ tally: Tally; dbCommands: number }> {
  const res = await sut.query<{ customerTally: Tally }>(TALLY, { ids });
  expect(res.errors).toBeUndefined();
  return { tally: res.data!.customerTally, dbCommands: res.extensions?.dbCommands as number };
}

/** The tally counted straight from the world data. */
function expected(customers: readonly WorldCustomer[]): Tally {
  return {
    customerCount: customers.length,
    enterpriseCount: customers.filter((c) => c.segment === 'ENTERPRISE').length,
    bySlaTier: TIERS.map((tier) => ({ tier, count: customers.filter((c) => c.slaTier === tier).length })),
  };
}

describe('customerTally (internal)', () => {
  it('should count the customers of a set by segment and tier, each once, unknown ids not at all', async () => {
    const some = world.customers.filter((_, i) => i % 3 === 0);
    const ids = [...some.map((c) => c.id), some[0].id, 'NO-SUCH-CUSTOMER'];
    const { tally: got } = await tally(ids);
    expect(got).toEqual(expected(some));
    expect(got.enterpriseCount).toBeGreaterThan(0);
    expect(await tally(world.customers.map((c) => c.id))).toMatchObject({ tally: expected(world.customers) });
  });

  it('should list every tier with zeros for an empty set', async () => {
    expect((await tally([])).tally).toEqual(expected([]));
  });

  it('should tally a set remembered under a key by that key alone, and answer null for a key it does not know', async () => {
    const BY_NAME = `query ($key: String!) { rememberedCustomerTally(setKey: $key) { customerCount enterpriseCount bySlaTier { tier count } } }`;
    const byName = async (key: string) => (await sut.query<{ rememberedCustomerTally: Tally | null }>(BY_NAME, { key })).data!.rememberedCustomerTally;
    expect(await byName('never-sent')).toBeNull();
    const some = world.customers.slice(10, 60);
    const res = await sut.query(`query ($ids: [ID!]!, $key: String) { customerTally(customerIds: $ids, rememberAs: $key) { customerCount } }`, { ids: some.map((c) => c.id), key: 'set-1' });
    expect(res.errors).toBeUndefined();
    expect(await byName('set-1')).toEqual(expected(some));
  });

  it('should answer a repeated set from its cache until a customer changes', async () => {
    const enterprise = world.customers.filter((c) => c.segment === 'ENTERPRISE').slice(0, 20);
    const ids = enterprise.map((c) => c.id).reverse(); // order does not matter
    // The cache serves once its change stream is open: the first request opens it.
    await until(async () => (await tally(ids)).dbCommands === 0, 10_000, 'a cached tally');
    const customers = sut.subgraph.conn.collection<{ _id: string; segment: string; slaTier: string | null }>('customers');
    await customers.updateOne({ _id: enterprise[0].id }, { $set: { segment: 'CONSUMER', slaTier: null } });
    const changed = expected([{ ...enterprise[0], segment: 'CONSUMER', slaTier: null }, ...enterprise.slice(1)]);
    await until(async () => JSON.stringify((await tally(ids)).tally) === JSON.stringify(changed), 10_000, 'the tally after the write');
  });
});
