import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { createFulfilmentModels, prepareFulfilmentModels, RESERVATION_SERVICE_INDEX } from '../fulfilment/models.js';
import { subgraph } from '../index.js';
import type { Models } from '../models.js';
import { activate, counts, dataOf, errorOf, feasibility, inventoryModels, premium5g, release, reservation, reserve, usedOf } from './fulfilment.js';

/**
 * Tombstones: a release of a reservationId inventory never saw, as the saga sends it when it gave
 * up on a slow reserve, on the small seed world over HTTP. (The race of the two is in
 * reservation-concurrency.test.ts.)
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

describe('release before reserve (the saga gave up on a reserve still in flight)', () => {
  const tombstone = (id: string) => ({ id, state: 'RELEASED', serviceId: null, activatedAt: null, service: null, resources: [] });

  it('should answer the release of a reservationId it never saw with a RELEASED tombstone: no service, no resources', async () => {
    const before = await counts(models);
    const used = await usedOf(models);
    const released = dataOf(await release(sut, 'SO-TOMB/1', 'RESERVATION timed out')).releaseServiceReservation;
    expect(released).toEqual(tombstone('SO-TOMB/1'));
    expect(dataOf(await reservation(sut, 'SO-TOMB/1')).serviceReservation).toEqual(released);
    expect(await models.Reservation.findById('SO-TOMB/1').lean()).toMatchObject({
      state: 'RELEASED', serviceId: null, resources: [], releasedAt: expect.any(Date), releaseReason: 'RESERVATION timed out',
    });
    // Only the tombstone is written: no service, no event, no capacity.
    expect(await counts(models)).toEqual({ ...before, reservations: before.reservations + 1 });
    expect(await usedOf(models)).toEqual(used);
  });

  it('should refuse a later reserve of a tombstone with CONFLICT, taking no capacity, creating no service and writing no event', async () => {
    const input = premium5g('SO-TOMB/2', { customerId: 'CUST-TOMB' });
    dataOf(await release(sut, 'SO-TOMB/2'));
    const before = await counts(models);
    const used = await usedOf(models);

    const error = errorOf(await reserve(sut, input));
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain("reservation 'SO-TOMB/2' was released");
    expect(await counts(models)).toEqual(before);
    expect(await usedOf(models)).toEqual(used);
    expect(await models.Service.countDocuments({ customerId: 'CUST-TOMB' })).toBe(0);
    expect(dataOf(await reservation(sut, 'SO-TOMB/2')).serviceReservation).toEqual(tombstone('SO-TOMB/2'));
    // Neither can it be activated, and the saga's feasibility step is told it is released.
    expect(errorOf(await activate(sut, 'SO-TOMB/2')).code).toBe('CONFLICT');
    expect(dataOf(await feasibility(sut, input)).serviceFeasibility).toEqual({ feasible: false, reason: "reservation 'SO-TOMB/2' was released", resources: [] });
    expect(await counts(models)).toEqual(before);
  });

  it('should answer a repeated release of a tombstone with the same tombstone, writing nothing, also when 5 arrive at once', async () => {
    const first = await Promise.all(Array.from({ length: 5 }, () => release(sut, 'SO-TOMB/3', 'first')));
    for (const answer of first) expect(dataOf(answer).releaseServiceReservation).toEqual(tombstone('SO-TOMB/3'));
    const stored = await models.Reservation.findById('SO-TOMB/3').lean();
    const before = await counts(models);

    expect(dataOf(await release(sut, 'SO-TOMB/3', 'again')).releaseServiceReservation).toEqual(tombstone('SO-TOMB/3'));
    await Promise.all(Array.from({ length: 5 }, () => release(sut, 'SO-TOMB/3')));
    expect(await counts(models)).toEqual(before);
    // The first release's reason and time stay: a repeat is an answer, not a new release.
    expect(await models.Reservation.findById('SO-TOMB/3').lean()).toEqual(stored);
    expect(stored).toMatchObject({ releaseReason: 'first' });
  });

  it('should keep several tombstones apart: none of them holds a serviceId the unique index could clash on', async () => {
    for (const id of ['SO-TOMB/4', 'SO-TOMB/5', 'SO-TOMB/6']) expect(dataOf(await release(sut, id)).releaseServiceReservation).toEqual(tombstone(id));
    expect(await models.Reservation.countDocuments({ _id: { $in: ['SO-TOMB/4', 'SO-TOMB/5', 'SO-TOMB/6'] }, state: 'RELEASED', serviceId: null })).toBe(3);
  });

  it('should drop the plain unique serviceId index of a database from before tombstones, under which a second one would clash on null', async () => {
    const dbName = 'telco_inventory_before_tombstones';
    const conn = sut.subgraph.conn.useDb(dbName, { useCache: false });
    const raw = conn.getClient().db(dbName).collection<{ _id: string; state: string; serviceId: string | null }>('reservations');
    try {
      const legacy = createFulfilmentModels(conn);
      await legacy.Reservation.init();
      await raw.createIndex({ serviceId: 1 }, { unique: true, name: 'serviceId_1' });
      await raw.insertOne({ _id: 'SO-OLD/1', state: 'RELEASED', serviceId: null });
      await expect(raw.insertOne({ _id: 'SO-OLD/2', state: 'RELEASED', serviceId: null })).rejects.toMatchObject({ code: 11000 });

      await prepareFulfilmentModels(legacy);
      await prepareFulfilmentModels(legacy);
      expect((await legacy.Reservation.collection.indexes()).map((i) => i.name).sort()).toEqual(['_id_', RESERVATION_SERVICE_INDEX]);
      await raw.insertOne({ _id: 'SO-OLD/2', state: 'RELEASED', serviceId: null });
      // Made reservations still have one service each.
      await raw.insertOne({ _id: 'SO-OLD/3', state: 'RESERVED', serviceId: 'svc-old' });
      await expect(raw.insertOne({ _id: 'SO-OLD/4', state: 'RESERVED', serviceId: 'svc-old' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await conn.dropDatabase();
    }
  });
});
