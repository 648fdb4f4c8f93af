import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { subgraph } from '../index.js';
import type { Models } from '../models.js';
import { counts, inventoryModels, premium5g, reserve, SPEC } from './fulfilment.js';

/**
 * The capacity guard across concurrent transactions: many reservations racing for the last
 * units of one resource, over HTTP at the real subgraph on the small seed world.
 */

let sut: SubgraphUnderTest;
let models: Models;

beforeAll(async () => {
  sut = await startSubgraphUnderTest(subgraph, generateWorld('small'));
  models = inventoryModels(sut);
});
afterAll(async () => {
  await models?.Service.db.close();
  await sut?.stop();
});

describe('capacity under concurrent reservations', () => {
  it('should let exactly 10 of 50 concurrent reservations take the last 10 units, and refuse the other 40 with RESOURCE_UNAVAILABLE', async () => {
    // One slice with exactly ten 1Gbps services of room, every other slice full.
    const slices = await models.Resource.find({ category: 'NETWORK_SLICE' }).lean();
    const last = slices[0];
    const total = last.capacity!.total;
    for (const slice of slices) {
      await models.Resource.updateOne({ _id: slice._id }, { $set: { 'capacity.used': slice._id === last._id ? total - 10 : slice.capacity!.total } });
    }
    const before = await counts(models);

    const inputs = Array.from({ length: 50 }, (_, i) => premium5g(`SO-RUSH-${i}/1`, { customerId: 'CUST-RUSH', resourceSpecifications: [SPEC.slice] }));
    const answers = await Promise.all(inputs.map((input) => reserve(sut, input)));

    const won = answers.filter((a) => !a.errors);
    const lost = answers.filter((a) => a.errors);
    expect(won).toHaveLength(10);
    for (const a of won) expect(a.data?.reserveServiceResources.resources.map((c) => [c.resource.id, c.amount])).toEqual([[last._id, 1]]);
    expect(lost).toHaveLength(40);
    for (const a of lost) {
      expect(a.errors).toHaveLength(1);
      expect(a.errors![0].extensions?.code).toBe('RESOURCE_UNAVAILABLE');
      expect(a.errors![0].message).toContain('NETWORK_SLICE');
    }

    const after = await models.Resource.findById(last._id).lean();
    expect(after!.capacity).toMatchObject({ used: total, total });
    expect(await models.Service.countDocuments({ customerId: 'CUST-RUSH', state: 'RESERVED' })).toBe(10);
    expect(await counts(models)).toEqual({ services: before.services + 10, reservations: before.reservations + 10, events: before.events + 10 });
    expect(new Set(won.map((a) => a.data!.reserveServiceResources.serviceId)).size).toBe(10);
  });
});
