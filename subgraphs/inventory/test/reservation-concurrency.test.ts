import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { subgraph } from '../index.js';
import type { Models } from '../models.js';
import { counts, dataOf, errorOf, inventoryModels, premium5g, release, reservation, reserve, SPEC, usedOf } from './fulfilment.js';

/**
 * The capacity guard across concurrent transactions: many reservations racing for the last
 * units of one resource, and compensation racing the reserve it gives up on, over HTTP at the
 * real subgraph on the small seed world.
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

describe('release racing the reserve it compensates', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  // The rush above leaves every slice full: give them room again, so a reserve fails only by losing the race.
  beforeAll(async () => {
    await models.Resource.updateMany({ category: 'NETWORK_SLICE' }, { $set: { 'capacity.used': 0 } });
  });

  it('should leave every id RELEASED and all capacity returned after 20 rounds of a concurrent release and reserve of a fresh id', async () => {
    const used = await usedOf(models);
    const before = await counts(models);
    let made = 0;
    for (let round = 0; round < 20; round++) {
      const id = `SO-RACE-${round}/1`;
      const input = premium5g(id, { customerId: 'CUST-RACE', resourceSpecifications: [SPEC.gnb, SPEC.slice] });
      // A release is much quicker than a reserve: holding it back by 0–9 ms, about a reserve's
      // duration, makes it commit before, amid and after the reserve, so both orders are hit.
      const [reserved, released] = await Promise.all([reserve(sut, input), sleep(round % 10).then(() => release(sut, id, 'RESERVATION timed out'))]);
      // The reserve either won (and the release then released it normally) or lost to the tombstone: never anything else.
      if (reserved.errors) expect(errorOf(reserved)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`reservation '${id}' was released`) });
      else made += 1;
      expect(dataOf(released).releaseServiceReservation.state).toBe('RELEASED');
      expect(dataOf(await reservation(sut, id)).serviceReservation?.state).toBe('RELEASED');
    }
    expect(await usedOf(models)).toEqual(used);
    expect(await models.Service.countDocuments({ customerId: 'CUST-RACE', state: { $ne: 'TERMINATED' } })).toBe(0);
    expect(await models.Reservation.countDocuments({ _id: /^SO-RACE-/, state: { $ne: 'RELEASED' } })).toBe(0);
    // A reserve that won wrote its service with a create and a terminate event; one that lost wrote nothing.
    expect(await counts(models)).toEqual({ services: before.services + made, reservations: before.reservations + 20, events: before.events + 2 * made });
  });

  it('should refuse with CONFLICT a reserve still in flight when the release of its id commits, keeping nothing of it', async () => {
    const id = 'SO-INFLIGHT/1';
    const input = premium5g(id, { customerId: 'CUST-INFLIGHT', resourceSpecifications: [SPEC.slice] });
    const used = await usedOf(models);
    const before = await counts(models);
    // Hold every slice in a transaction of our own, never committed: the reserve's capacity
    // write conflicts with it, so the reserve keeps retrying — in flight — until we let go.
    const session = await models.Service.db.startSession();
    session.startTransaction();
    try {
      await models.Resource.updateMany({ category: 'NETWORK_SLICE' }, { $inc: { 'capacity.total': 1 } }, { session });
      const pending = reserve(sut, input);
      await sleep(100);
      expect(dataOf(await release(sut, id, 'RESERVATION timed out')).releaseServiceReservation).toMatchObject({ id, state: 'RELEASED', serviceId: null });
      await session.abortTransaction();
      expect(errorOf(await pending)).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`reservation '${id}' was released`) });
    } finally {
      if (session.inTransaction()) await session.abortTransaction();
      await session.endSession();
    }
    expect(await usedOf(models)).toEqual(used);
    expect(await counts(models)).toEqual({ ...before, reservations: before.reservations + 1 });
    expect(await models.Service.countDocuments({ customerId: 'CUST-INFLIGHT' })).toBe(0);
  });
});
