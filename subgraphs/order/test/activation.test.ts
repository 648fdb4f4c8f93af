import { describe, expect, it } from 'vitest';
import { graphqlRequest } from '../../../kit/testing.js';
import { useStarted } from '../../../kit/test-suite.js';
import type { SagaStep } from '../activation/adapters/index.js';
import { freshSaga } from '../activation/decompose.js';
import {
  capacityUsed, fibre, injectFault, premium, productOrderEvents, reservationsOf, serviceOrderEvents, serviceOrderOf, serviceState, settled, startActivationStack, submit, waitFor,
} from './activation-fixture.js';

/**
 * Order to activate, as the order subgraph runs it against the real inventory, catalog and
 * simulated network: BSS → OSS decomposition, the saga's four steps, OSS → BSS confirmation,
 * compensation of failures at every step and the PARTIAL roll-up. Tests run one after another,
 * each order settled before the next: capacity figures compare before and after.
 */
const app = useStarted(() => startActivationStack());
const SEED_RESOURCES = ['gNB-001', 'slice-5g-001'];
const states = (events: { state: string }[]) => events.map((e) => e.state);

describe('BSS → OSS decomposition', () => {
  it('should create one service order from the catalog mapping, with its create event, and move the product order IN_PROGRESS', async () => {
    const id = await submit(app, 'decompose-1', [premium('1Gbps')]);
    const so = await waitFor(() => serviceOrderOf(app, id), 'service order created');
    expect(so).toMatchObject({ productOrderId: id, customerId: 'CUST-789', externalId: 'decompose-1' });
    expect(so.items).toEqual([expect.objectContaining({
      id: '1', productOrderItemId: '1', action: 'ADD', productOfferingId: '5G_PREMIUM',
      serviceSpecification: { id: 'SS-5G-DATA', name: '5G Data Service' }, characteristics: [{ name: 'bandwidth', value: '1Gbps' }],
      resourceSpecifications: [expect.objectContaining({ id: 'RS-GNB', category: 'GNB' }), expect.objectContaining({ id: 'RS-NETWORK-SLICE', category: 'NETWORK_SLICE' })],
    })]);
    const [created] = await serviceOrderEvents(app, so._id);
    expect(created).toMatchObject({ _id: `${so._id}:1`, eventType: 'ServiceOrderCreateEvent', version: 1, state: 'ACKNOWLEDGED', previousState: null, productOrderId: id, customerId: 'CUST-789', correlationId: 'decompose-1' });
    // The product order went IN_PROGRESS in the transaction that created the service order.
    const inProgress = (await productOrderEvents(app, id))[1];
    expect(inProgress).toMatchObject({ state: 'IN_PROGRESS', previousState: 'ACKNOWLEDGED', customerId: 'CUST-789' });
    expect(inProgress.at).toEqual(created.at);
    await settled(app, id);
    expect(await app.models.ServiceOrder.countDocuments({ productOrderId: id })).toBe(1);
  });
});

describe('the saga’s sweep', () => {
  it('should pick up a due service order nobody woke, and roll up an item decomposition could not map', async () => {
    // As decomposition stores it when the catalog names no service specification; no nudge.
    const now = new Date();
    await app.models.ProductOrder.create({ _id: 'PO-UNMAPPED', customerId: 'CUST-789', state: 'IN_PROGRESS', orderDate: now, version: 0,
      items: [{ id: '1', action: 'ADD', state: 'IN_PROGRESS', productOfferingId: 'GONE', characteristics: [] }] });
    await app.models.ServiceOrder.create({ _id: 'SO-UNMAPPED', productOrderId: 'PO-UNMAPPED', customerId: 'CUST-789', state: 'ACKNOWLEDGED', orderDate: now, version: 0,
      claim: { owner: null, until: new Date(0) }, sagaWakeAt: now,
      errorMessages: [{ code: 'NO_SERVICE_SPECIFICATION', message: 'product offering GONE names no service specification to build', timestamp: now, itemId: '1' }],
      items: [{ id: '1', productOrderItemId: '1', action: 'ADD', state: 'FAILED', serviceSpecification: { id: 'GONE', name: 'GONE' }, productOfferingId: 'GONE', saga: { ...freshSaga(), step: 'DONE' } }] });
    const { po, so } = await settled(app, 'PO-UNMAPPED');
    expect(so).toMatchObject({ state: 'FAILED', completionDate: expect.any(Date) });
    expect(so.sagaWakeAt).toBeUndefined();
    expect(po).toMatchObject({ state: 'FAILED', items: [expect.objectContaining({ state: 'FAILED' })] });
    expect(states(await productOrderEvents(app, 'PO-UNMAPPED'))).toEqual(['FAILED']);
  });
});

describe('the saga’s happy path', () => {
  it('should reserve, configure and activate, then complete both orders on inventory’s confirmation, every change an event in order', async () => {
    const id = await submit(app, 'happy-1');
    const { po, so } = await settled(app, id);
    expect(states(await productOrderEvents(app, id))).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED']);
    const soEvents = await serviceOrderEvents(app, so._id);
    expect(soEvents.map((e) => [e.eventType, e.previousState, e.state, e.version])).toEqual([
      ['ServiceOrderCreateEvent', null, 'ACKNOWLEDGED', 1], ['ServiceOrderStateChangeEvent', 'ACKNOWLEDGED', 'IN_PROGRESS', 2], ['ServiceOrderStateChangeEvent', 'IN_PROGRESS', 'COMPLETED', 3],
    ]);
    // The service order and its product order complete in one transaction.
    expect(soEvents[2].at).toEqual((await productOrderEvents(app, id))[2].at);

    const [item] = so.items;
    expect(item).toMatchObject({ state: 'COMPLETED', serviceId: expect.stringMatching(/^svc-/) });
    expect(item.saga).toMatchObject({ step: 'DONE', reservationId: `${so._id}/1`, resources: [{ id: 'gNB-001', category: 'GNB' }, { id: 'slice-5g-001', category: 'NETWORK_SLICE' }], configuredResourceIds: ['gNB-001', 'slice-5g-001'] });
    expect(item.saga!.attempts.map((a) => a.step)).toEqual(['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION', 'AWAITING_CONFIRMATION']);
    expect(so.milestones.map((m) => m.name)).toEqual(['feasibilityChecked', 'resourcesReserved', 'networkConfigured', 'serviceActivated', 'activationConfirmed']);
    expect(so).toMatchObject({ state: 'COMPLETED', completionDate: expect.any(Date), errorMessages: [], jeopardyAlerts: [] });
    expect(so.sagaWakeAt).toBeUndefined();
    expect(po).toMatchObject({ state: 'COMPLETED', completionDate: expect.any(Date), items: [expect.objectContaining({ state: 'COMPLETED', serviceId: item.serviceId })] });

    // What the network holds: one reservation, active; the service ACTIVE; each element configured once.
    expect(await reservationsOf(app, so._id)).toEqual([expect.objectContaining({ _id: `${so._id}/1`, state: 'ACTIVE', serviceId: item.serviceId })]);
    expect(await serviceState(app, item.serviceId!)).toBe('ACTIVE');
    const configs = await app.adapters.NetworkElementConfig.find({ _id: { $regex: `^${so._id}/` } }).lean();
    expect(configs.map((c) => [c.resourceId, c.adapter, c.state, c.applyCount]).sort()).toEqual([['gNB-001', 'EMS', 'CONFIGURED', 1], ['slice-5g-001', 'SDN', 'CONFIGURED', 1]]);
  });

  it('should show the service, the service order and its progress through the API', async () => {
    const id = await submit(app, 'api-1');
    const { so } = await settled(app, id);
    const res = await app.sut.query<{ productOrder: Record<string, unknown> }>(`query ($id: ID!) { productOrder(id: $id) { state
      items { state service { id state activatedAt } }
      serviceOrders { id state completionDate items { state serviceId activationStep service { id } } milestones { name itemId } errorMessages { code } } } }`, { id });
    expect(res.errors).toBeUndefined();
    const serviceId = so.items[0].serviceId;
    expect(res.data!.productOrder).toEqual({
      state: 'COMPLETED',
      items: [{ state: 'COMPLETED', service: { id: serviceId, state: 'ACTIVE', activatedAt: expect.any(String) } }],
      serviceOrders: [{
        id: so._id, state: 'COMPLETED', completionDate: expect.any(String),
        items: [{ state: 'COMPLETED', serviceId, activationStep: 'DONE', service: { id: serviceId } }],
        milestones: expect.arrayContaining([{ name: 'resourcesReserved', itemId: '1' }, { name: 'activationConfirmed', itemId: '1' }]),
        errorMessages: [],
      }],
    });
  });
});

describe('a failure at each step', () => {
  const steps: SagaStep[] = ['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION'];
  it.each(steps)('should compensate a failure at %s: capacity back, configuration rolled back, no active service, both orders FAILED', async (step) => {
    const key = `fail-${step}`;
    await injectFault(app, key, step);
    const before = await capacityUsed(app, SEED_RESOURCES);
    const id = await submit(app, key);
    const { po, so } = await settled(app, id);
    expect(states(await productOrderEvents(app, id))).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'FAILED']);
    expect(states(await serviceOrderEvents(app, so._id))).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'FAILED']);
    expect(so.errorMessages).toEqual([{ code: 'INJECTED_FAULT', message: expect.stringContaining(step.toLowerCase()), timestamp: expect.any(Date), itemId: '1' }]);
    expect(so.items[0]).toMatchObject({ state: 'FAILED', saga: expect.objectContaining({ step: 'DONE', compensateTo: 'FAILED' }) });
    expect(so.items[0].saga!.attempts.map((a) => a.step).slice(-2)).toEqual([step, 'COMPENSATING']);
    expect(po).toMatchObject({ state: 'FAILED', completionDate: expect.any(Date), items: [expect.objectContaining({ state: 'FAILED' })] });

    expect(await capacityUsed(app, SEED_RESOURCES)).toEqual(before);
    const reservations = await reservationsOf(app, so._id);
    // The fault strikes before the step's own call: a failed RESERVATION never reached inventory.
    expect(reservations.map((r) => r.state)).toEqual(step === 'FEASIBILITY' || step === 'RESERVATION' ? [] : ['RELEASED']);
    for (const r of reservations) expect(await serviceState(app, r.serviceId)).toBe('TERMINATED');
    const configs = await app.adapters.NetworkElementConfig.find({ _id: { $regex: `^${so._id}/` } }).lean();
    expect(configs.map((c) => c.state)).toEqual(step === 'ACTIVATION' ? ['ROLLED_BACK', 'ROLLED_BACK'] : []);
  });

  it('should end a two-item order PARTIAL when one item fails and the other completes', async () => {
    const key = 'partial-1';
    await injectFault(app, key, 'RESERVATION', 'FAIL', 0, { productOfferingId: 'FIBRE_1G' });
    const id = await submit(app, key, [premium('100Mbps'), fibre()]);
    const { po, so } = await settled(app, id);
    expect(so.items.map((i) => [i.productOfferingId, i.state])).toEqual([['5G_PREMIUM', 'COMPLETED'], ['FIBRE_1G', 'FAILED']]);
    expect(so.state).toBe('PARTIAL');
    expect(so.errorMessages).toEqual([expect.objectContaining({ code: 'INJECTED_FAULT', itemId: '2' })]);
    expect(po.items.map((i) => i.state)).toEqual(['COMPLETED', 'FAILED']);
    expect(po.items[0].serviceId).toBe(so.items[0].serviceId);
    expect(states(await productOrderEvents(app, id))).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'PARTIAL']);
    expect(await serviceState(app, so.items[0].serviceId!)).toBe('ACTIVE');
  });

  it('should fail the item with RESOURCE_UNAVAILABLE when inventory has no room, without retrying', async () => {
    // Every slice full: feasibility refuses (a business refusal, not an outage to retry).
    const slices = app.inventory.collection<{ _id: string; category: string; capacity: { total: number; used: number } }>('resources');
    const all = await slices.find({ category: 'NETWORK_SLICE' }).toArray();
    try {
      for (const s of all) await slices.updateOne({ _id: s._id }, { $set: { 'capacity.used': s.capacity.total } });
      const full = await submit(app, 'no-room-2', [premium('1Gbps')]);
      const result = await settled(app, full);
      expect(result.so.errorMessages).toEqual([expect.objectContaining({ code: 'RESOURCE_UNAVAILABLE', message: expect.stringContaining('NETWORK_SLICE') })]);
      expect(result.po.state).toBe('FAILED');
      expect(await reservationsOf(app, result.so._id)).toEqual([]);
    } finally {
      for (const s of all) await slices.updateOne({ _id: s._id }, { $set: { 'capacity.used': s.capacity.used } });
    }
  });
});

describe('cancelProductOrder input', () => {
  it('should answer an unknown order’s cancellation NOT_FOUND and blank input BAD_USER_INPUT naming the field', async () => {
    const cancel = (input: Record<string, unknown>) => graphqlRequest(app.orderUrl, 'mutation ($input: CancelProductOrderInput!) { cancelProductOrder(input: $input) { id } }', { input });
    expect((await cancel({ productOrderId: 'PO-NOPE' })).errors?.[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect((await cancel({ productOrderId: ' ' })).errors?.[0]).toMatchObject({ message: expect.stringContaining('input.productOrderId'), extensions: { code: 'BAD_USER_INPUT', field: 'input.productOrderId' } });
    expect((await cancel({ productOrderId: 'PO-NOPE', reason: '' })).errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.reason' } });
  });
});
