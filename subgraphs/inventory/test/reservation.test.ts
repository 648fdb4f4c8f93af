import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphUnderTest, type GraphQLResult, type SubgraphUnderTest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { roundCapacity } from '../fulfilment/demand.js';
import { subgraph } from '../index.js';
import type { Models } from '../models.js';
import {
  activate, counts, dataOf, errorOf, feasibility, inventoryModels, premium5g, release, reservation, reserve, SPEC, usedOf,
} from './fulfilment.js';

/** Fulfilment commands of the inventory subgraph, on the small seed world, over HTTP. */

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

const eventsOf = (serviceId: string) => models.InventoryEvent.find({ serviceId }).sort({ eventTime: 1 }).lean();

describe('reserveServiceResources', () => {
  it("should reserve the seed example on the resources the customer's svc-5g-001 already uses, and create the service RESERVED", async () => {
    const before = await usedOf(models, ['gNB-001', 'slice-5g-001']);
    const input = premium5g('SO-EX/1');
    const feasible = dataOf(await feasibility(sut, input)).serviceFeasibility;
    expect(feasible).toEqual({
      feasible: true, reason: null,
      resources: [{ amount: 200, unit: 'PRB', resource: { id: 'gNB-001' } }, { amount: 1, unit: 'Gbps', resource: { id: 'slice-5g-001' } }],
    });

    const r = dataOf(await reserve(sut, input)).reserveServiceResources;
    expect(r).toMatchObject({ id: 'SO-EX/1', state: 'RESERVED', activatedAt: null });
    expect(r.resources.map((c) => [c.resource.id, c.amount, c.unit])).toEqual([['gNB-001', 200, 'PRB'], ['slice-5g-001', 1, 'Gbps']]);
    expect(r.service).toMatchObject({
      id: r.serviceId, state: 'RESERVED', category: 'CUSTOMER_FACING', activatedAt: null, startDate: null, endDate: null, isServiceEnabled: false,
      customer: { id: 'CUST-789' }, productOffering: { id: '5G_PREMIUM' }, serviceSpecification: { id: 'SS-5G-DATA', name: '5G Data Service' },
      characteristics: [{ name: 'bandwidth', value: '1Gbps' }], supportingResources: [{ id: 'gNB-001' }, { id: 'slice-5g-001' }],
    });
    expect(await usedOf(models, ['gNB-001', 'slice-5g-001'])).toEqual({ 'gNB-001': before['gNB-001'] + 200, 'slice-5g-001': roundCapacity(before['slice-5g-001'] + 1) });
    expect(dataOf(await reservation(sut, 'SO-EX/1')).serviceReservation).toEqual(r);
  });

  it('should write one ServiceCreateEvent in the contract shape', async () => {
    const r = dataOf(await reserve(sut, premium5g('SO-EV/1'))).reserveServiceResources;
    const events = await eventsOf(r.serviceId);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toEqual({
      _id: event.eventId, eventId: expect.any(String), eventType: 'ServiceCreateEvent', eventTime: expect.any(Date), correlationId: 'SO-EV/1',
      serviceId: r.serviceId, state: 'RESERVED', previousState: null, activatedAt: null, customerId: 'CUST-789', productOfferingId: '5G_PREMIUM',
      productOrderId: 'PO-SO-EV', serviceOrderId: 'SO-EV', serviceOrderItemId: '1', resourceRefs: r.resources.map((c) => `/resource/${c.resource.id}`),
    });
  });

  it('should answer a repeated reservationId with the same reservation, taking capacity once, also when 10 arrive at once', async () => {
    const before = await counts(models);
    for (const input of [premium5g('SO-IDEM/1', { customerId: 'CUST-IDEM' }), premium5g('SO-IDEM/2', { customerId: 'CUST-IDEM' })]) {
      const used = await usedOf(models);
      const answers = await Promise.all(Array.from({ length: 10 }, () => reserve(sut, input)));
      const first = dataOf(answers[0]).reserveServiceResources;
      for (const answer of answers) expect(dataOf(answer).reserveServiceResources).toEqual(first);
      expect(dataOf(await reserve(sut, input)).reserveServiceResources).toEqual(first);
      const taken = { ...used };
      for (const c of first.resources) taken[c.resource.id] = roundCapacity(taken[c.resource.id] + c.amount);
      expect(await usedOf(models)).toEqual(taken);
    }
    expect(await counts(models)).toEqual({ services: before.services + 2, reservations: before.reservations + 2, events: before.events + 2 });
    expect(await models.Service.countDocuments({ customerId: 'CUST-IDEM' })).toBe(2);
  });

  it('should refuse a reservationId reused for a different request with CONFLICT', async () => {
    dataOf(await reserve(sut, premium5g('SO-REUSE/1')));
    const res = await reserve(sut, premium5g('SO-REUSE/1', { characteristics: [{ name: 'bandwidth', value: '500Mbps' }] }));
    expect(errorOf(res).code).toBe('CONFLICT');
  });

  it('should refuse with RESOURCE_UNAVAILABLE naming the category when no resource has room, and write nothing', async () => {
    const before = await counts(models);
    const input = premium5g('SO-BIG/1', { characteristics: [{ name: 'bandwidth', value: '50Gbps' }] });
    const res = await reserve(sut, input);
    const error = errorOf(res);
    expect(error.code).toBe('RESOURCE_UNAVAILABLE');
    expect(error.message).toMatch(/GNB/);
    expect(dataOf(await feasibility(sut, input)).serviceFeasibility).toEqual({ feasible: false, reason: error.message, resources: [] });
    expect(await counts(models)).toEqual(before);
  });

  it('should place a fibre service on an ONT at no capacity, one leg of a PON port and no OLT port', async () => {
    const r = dataOf(await reserve(sut, premium5g('SO-FTTH/1', {
      productOfferingId: 'FIBRE_1G', serviceSpecification: { id: 'SS-FTTH-ACCESS', name: 'FTTH Access Service' }, resourceSpecifications: [SPEC.ont, SPEC.pon, SPEC.olt],
    }))).reserveServiceResources;
    expect(r.resources.map((c) => [c.resource.category, c.amount, c.unit])).toEqual([['ONT', 0, null], ['PON_PORT', 1, 'ONT'], ['OLT', 0, 'PON port']]);
  });
});

describe('activateReservedService', () => {
  it('should make the service ACTIVE with activatedAt, answer a repeat the same, and write one ServiceStateChangeEvent', async () => {
    const reserved = dataOf(await reserve(sut, premium5g('SO-ACT/1'))).reserveServiceResources;
    const used = await usedOf(models);
    const active = dataOf(await activate(sut, 'SO-ACT/1')).activateReservedService;
    expect(active).toMatchObject({ id: 'SO-ACT/1', state: 'ACTIVE', serviceId: reserved.serviceId, activatedAt: expect.any(String) });
    expect(active.service).toMatchObject({ state: 'ACTIVE', activatedAt: active.activatedAt, startDate: active.activatedAt, endDate: null, isServiceEnabled: true });
    expect(dataOf(await activate(sut, 'SO-ACT/1')).activateReservedService).toEqual(active);
    // The capacity stays with the active service.
    expect(await usedOf(models)).toEqual(used);

    const events = await eventsOf(reserved.serviceId);
    expect(events.map((e) => [e.eventType, e.previousState, e.state])).toEqual([['ServiceCreateEvent', null, 'RESERVED'], ['ServiceStateChangeEvent', 'RESERVED', 'ACTIVE']]);
    expect(events[1]).toMatchObject({ correlationId: 'SO-ACT/1', activatedAt: new Date(active.activatedAt!), eventTime: new Date(active.activatedAt!), resourceRefs: events[0].resourceRefs });
  });

  it('should activate once when called concurrently', async () => {
    const reserved = dataOf(await reserve(sut, premium5g('SO-ACT/2'))).reserveServiceResources;
    const answers = (await Promise.all(Array.from({ length: 5 }, () => activate(sut, 'SO-ACT/2')))).map((a) => dataOf(a).activateReservedService);
    expect(new Set(answers.map((a) => a.activatedAt)).size).toBe(1);
    expect(await models.InventoryEvent.countDocuments({ serviceId: reserved.serviceId, state: 'ACTIVE' })).toBe(1);
  });

  it('should refuse a released reservation with CONFLICT and an unknown one with NOT_FOUND', async () => {
    dataOf(await reserve(sut, premium5g('SO-ACT/3')));
    dataOf(await release(sut, 'SO-ACT/3'));
    expect(errorOf(await activate(sut, 'SO-ACT/3')).code).toBe('CONFLICT');
    expect(errorOf(await activate(sut, 'SO-NOPE/1')).code).toBe('NOT_FOUND');
    expect(dataOf(await reservation(sut, 'SO-NOPE/1')).serviceReservation).toBeNull();
  });
});

describe('releaseServiceReservation', () => {
  it('should return the capacity and terminate the service, once, also when repeated', async () => {
    const before = await usedOf(models);
    const reserved = dataOf(await reserve(sut, premium5g('SO-REL/1'))).reserveServiceResources;
    expect(await usedOf(models)).not.toEqual(before);
    const released = dataOf(await release(sut, 'SO-REL/1', 'CONFIGURATION failed')).releaseServiceReservation;
    expect(released).toMatchObject({ state: 'RELEASED', activatedAt: null, service: { state: 'TERMINATED', endDate: expect.any(String), isServiceEnabled: false, activatedAt: null } });
    expect(await usedOf(models)).toEqual(before);
    expect(dataOf(await release(sut, 'SO-REL/1')).releaseServiceReservation).toEqual(released);
    await Promise.all(Array.from({ length: 5 }, () => release(sut, 'SO-REL/1')));
    expect(await usedOf(models)).toEqual(before);
    // A released reservation stays what it is: reserving its id again takes nothing.
    expect(dataOf(await reserve(sut, premium5g('SO-REL/1'))).reserveServiceResources).toEqual(released);
    expect(await usedOf(models)).toEqual(before);
    expect(dataOf(await feasibility(sut, premium5g('SO-REL/1'))).serviceFeasibility).toMatchObject({ feasible: false, reason: "reservation 'SO-REL/1' was released" });

    const events = await eventsOf(reserved.serviceId);
    expect(events.map((e) => [e.eventType, e.previousState, e.state, e.activatedAt])).toEqual([['ServiceCreateEvent', null, 'RESERVED', null], ['ServiceStateChangeEvent', 'RESERVED', 'TERMINATED', null]]);
    expect(await models.Reservation.findById('SO-REL/1').lean()).toMatchObject({ releaseReason: 'CONFIGURATION failed' });
  });

  it('should give back exactly what it took, to the last decimal', async () => {
    const before = await usedOf(models);
    const ids = ['SO-DEC/1', 'SO-DEC/2', 'SO-DEC/3'];
    for (const id of ids) dataOf(await reserve(sut, premium5g(id, { customerId: 'CUST-DEC', characteristics: [{ name: 'bandwidth', value: '100Mbps' }] })));
    for (const id of ids) dataOf(await release(sut, id));
    expect(await usedOf(models)).toEqual(before);
  });

  it('should refuse an ACTIVE reservation with CONFLICT and keep its capacity', async () => {
    dataOf(await reserve(sut, premium5g('SO-REL/2')));
    dataOf(await activate(sut, 'SO-REL/2'));
    const used = await usedOf(models);
    expect(errorOf(await release(sut, 'SO-REL/2')).code).toBe('CONFLICT');
    expect(await usedOf(models)).toEqual(used);
    expect(dataOf(await reservation(sut, 'SO-REL/2')).serviceReservation?.state).toBe('ACTIVE');
  });
});

describe('bad input', () => {
  const refused = async (res: Promise<GraphQLResult<unknown>>, field: string) => {
    const error = errorOf(await res);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain(field);
  };

  it('should refuse blank ids, a bad bandwidth and an unknown resource specification naming the field, writing nothing', async () => {
    const before = await counts(models);
    const used = await usedOf(models);
    await refused(reserve(sut, premium5g('SO-BAD/1', { reservationId: ' ' })), 'input.reservationId');
    await refused(reserve(sut, premium5g('SO-BAD/1', { customerId: '' })), 'input.customerId');
    await refused(reserve(sut, premium5g('SO-BAD/1', { characteristics: [{ name: 'bandwidth', value: 'fast' }] })), 'input.characteristics[0].value');
    await refused(reserve(sut, premium5g('SO-BAD/1', { characteristics: [] })), 'input.characteristics');
    // The small world has no CPE: a specification of it names equipment this network does not have.
    const cpe = { id: 'RS-CPE', name: 'Customer router', category: 'CPE' as const };
    await refused(reserve(sut, premium5g('SO-BAD/1', { resourceSpecifications: [SPEC.gnb, cpe] })), 'input.resourceSpecifications[1]');
    await refused(feasibility(sut, premium5g('SO-BAD/1', { resourceSpecifications: [cpe] })), 'input.resourceSpecifications[0]');
    await refused(activate(sut, ''), 'reservationId');
    expect(await counts(models)).toEqual(before);
    expect(await usedOf(models)).toEqual(used);
  });

  it('should refuse a category outside ResourceCategory before anything runs, naming the field', async () => {
    const before = await counts(models);
    const input = { ...premium5g('SO-BAD/2'), resourceSpecifications: [{ id: 'RS-X', name: 'x', category: 'TELEPORTER' }] };
    const res = await sut.query(`mutation ($input: ReserveServiceResourcesInput!) { reserveServiceResources(input: $input) { id } }`, { input });
    const error = errorOf(res);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('input.resourceSpecifications[0].category');
    expect(await counts(models)).toEqual(before);
  });

  it('should not take a resource of the category built from another specification', async () => {
    await models.Resource.updateMany({ category: 'OLT' }, { $set: { resourceSpecification: { id: 'RS-OLT-LEGACY', name: 'Legacy OLT', category: 'OLT' } } });
    try {
      const res = await reserve(sut, premium5g('SO-BAD/3', { resourceSpecifications: [SPEC.olt] }));
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining("unknown resource specification 'RS-OLT'") });
    } finally {
      await models.Resource.updateMany({ category: 'OLT' }, { $set: { resourceSpecification: null } });
    }
  });
});
