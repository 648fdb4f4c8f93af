import type mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig, SubgraphName } from '../../../kit/config.js';
import { connectDatabase } from '../../../kit/db.js';
import type { BackgroundWork } from '../../../kit/subgraph.js';
import { startSubgraph, type RunningSubgraph } from '../../../kit/subgraph.js';
import { graphqlRequest, testConfig } from '../../../kit/testing.js';
import { useStarted } from '../../../kit/test-suite.js';
import { subgraphByName } from '../../registry.js';
import { buildCatalog } from '../../../seed/catalog.js';
import { buildServiceOrder } from '../activation/decompose.js';
import { reservationRequest, type SagaItem } from '../activation/saga/deps.js';
import { startActivation } from '../activation/index.js';
import { createAdapterModels } from '../activation/adapters/index.js';
import { subgraph } from '../index.js';
import type { ServiceOrderDoc } from '../models.js';
import { injectFault, premium, reservationsOf, serviceState, settled, startActivationStack, submit, TEST_ACTIVATION, waitFor, type ActivationStack } from './activation-fixture.js';

/**
 * Several instances of the order subgraph on one database: a second saga runner (with its own
 * consumers, as a second process would have) next to the stack's. Leases make exactly one of
 * them run an order at a time; one that stops mid-step hands the order over, and the other
 * resumes it from the persisted step without reserving or configuring twice.
 */
const LEASE_MS = 1_000;
const app = useStarted(() => startActivationStack({ sagaLeaseMs: LEASE_MS }));
const SECOND = 'second-instance';
let second: BackgroundWork | undefined;
let secondConn: mongoose.Connection;
/** Inventory started again after the outage test stopped the stack's. */
let restarted: RunningSubgraph | undefined;

/** The stack's configuration as its subgraphs see it: the URLs they listen on. */
function liveConfig(stack: ActivationStack): AppConfig {
  const config = testConfig({ activation: { ...TEST_ACTIVATION, sagaLeaseMs: LEASE_MS } });
  for (const [name, running] of Object.entries(stack.sut.stack.subgraphs) as [SubgraphName, RunningSubgraph][]) {
    config.subgraphs[name] = { port: Number(new URL(running.url).port), url: running.url };
  }
  return config;
}

beforeAll(async () => {
  secondConn = await connectDatabase(app.sut.stack.mongoUri, 'order');
  // At most three orders at a time: with more in flight the stack's runner must take some.
  second = await startActivation({ models: subgraph.createModels(secondConn), config: liveConfig(app), conn: secondConn, log: () => {} }, { owner: SECOND, runner: { concurrency: 3, sweepMs: 500 } });
});
afterAll(async () => {
  await second?.stop();
  await restarted?.stop();
  await secondConn?.close();
});

const STEPS = ['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION', 'AWAITING_CONFIRMATION'];
/** The seed catalog's offering → specification mapping, as decomposition reads it. */
const seedCatalog = () => new Map(buildCatalog().map((o) => [o.id, { serviceSpecifications: o.specification.serviceSpecifications, resourceSpecifications: o.specification.resourceSpecifications }]));

describe('two saga runners on one database', () => {
  it('should run every step of every order exactly once, in one runner at a time, even when steps outlast the lease', async () => {
    const keys = Array.from({ length: 6 }, (_, i) => `two-runners-${i}`);
    // Each order's feasibility takes two leases: the holder must renew, the other must keep off.
    for (const key of keys) await injectFault(app, key, 'FEASIBILITY', 'DELAY', LEASE_MS * 2);
    const ids = await Promise.all(keys.map((key) => submit(app, key, [premium('100Mbps')])));
    const orders = await Promise.all(ids.map((id) => settled(app, id)));
    // Both runners took part: each order was run by one of them, never by both.
    expect(new Set(orders.map(({ so }) => so.items[0].saga!.attempts[0].owner === SECOND))).toEqual(new Set([true, false]));
    for (const { po, so } of orders) {
      expect(po.state).toBe('COMPLETED');
      const [item] = so.items;
      expect(item.saga!.attempts.map((a) => a.step)).toEqual(STEPS);
      expect(new Set(item.saga!.attempts.map((a) => a.owner)).size).toBe(1);
      expect(await reservationsOf(app, so._id)).toHaveLength(1);
      const configs = await app.adapters.NetworkElementConfig.find({ _id: { $regex: `^${so._id}/` } }).lean();
      expect(configs.map((c) => c.applyCount)).toEqual([1, 1]);
    }
  });

  it('should resume an order from its persisted step once the lease of a crashed instance expires', async () => {
    // As an instance that died in the middle of FEASIBILITY leaves it: claimed, lease running.
    const now = new Date();
    const po = { _id: 'PO-CRASHED', externalId: 'crashed-1', customerId: 'CUST-789', state: 'IN_PROGRESS' as const, orderDate: now, version: 0,
      items: [{ id: '1', action: 'ADD' as const, state: 'IN_PROGRESS' as const, quantity: 1, productOfferingId: '5G_PREMIUM', characteristics: [{ name: 'bandwidth', value: '100Mbps' }], serviceId: null }] };
    await app.models.ProductOrder.create(po);
    const so = buildServiceOrder({ ...po, billingAccountId: null, priority: null, requestedStartDate: null, completionDate: null, cancellationReason: null, notes: [], createdAt: now, updatedAt: now }, seedCatalog(), now);
    so.state = 'IN_PROGRESS';
    so.items[0].state = 'IN_PROGRESS';
    so.items[0].saga = { ...so.items[0].saga!, stepStartedAt: now, attempts: [{ step: 'FEASIBILITY', owner: 'crashed-instance', at: now }] };
    so.claim = { owner: 'crashed-instance', until: new Date(Date.now() + LEASE_MS) };
    await app.models.ServiceOrder.create(so);

    const { so: done } = await settled(app, 'PO-CRASHED');
    expect(done.state).toBe('COMPLETED');
    const attempts = done.items[0].saga!.attempts;
    expect(attempts.map((a) => a.step)).toEqual(['FEASIBILITY', ...STEPS]);
    expect(attempts[1].owner).not.toBe('crashed-instance');
    // Not before the dead instance's lease ran out.
    expect(attempts[1].at.getTime()).toBeGreaterThanOrEqual(so.claim.until.getTime());
  });

  it('should complete, not fail, an item whose activation landed although its step was failed before a crash', async () => {
    // A crashed instance was compensating an activation it had given up on (a timeout hid the
    // answer); inventory did activate the service.
    const now = new Date();
    const po = { _id: 'PO-LANDED', externalId: 'landed-1', customerId: 'CUST-789', state: 'IN_PROGRESS' as const, orderDate: now, version: 0,
      items: [{ id: '1', action: 'ADD' as const, state: 'IN_PROGRESS' as const, quantity: 1, productOfferingId: '5G_PREMIUM', characteristics: [{ name: 'bandwidth', value: '100Mbps' }], serviceId: null }] };
    await app.models.ProductOrder.create(po);
    const so = buildServiceOrder({ ...po, billingAccountId: null, priority: null, requestedStartDate: null, completionDate: null, cancellationReason: null, notes: [], createdAt: now, updatedAt: now }, seedCatalog(), now);
    so.state = 'IN_PROGRESS';
    so.items[0].state = 'IN_PROGRESS';
    so.items[0].saga = { ...so.items[0].saga!, step: 'COMPENSATING', stepStartedAt: now, reservationId: `${so._id}/1`, activationRequestedAt: now, compensateTo: 'FAILED',
      failure: { code: 'DEADLINE_EXCEEDED', message: 'ACTIVATION did not finish', timestamp: now }, attempts: [{ step: 'COMPENSATING', owner: 'crashed-instance', at: now }] };
    so.claim = { owner: 'crashed-instance', until: new Date(Date.now() + LEASE_MS) };
    await app.models.ServiceOrder.create(so);
    const inventoryUrl = liveConfig(app).subgraphs.inventory.url;
    const reserved = await graphqlRequest<{ reserveServiceResources: { serviceId: string } }>(inventoryUrl,
      'mutation ($input: ReserveServiceResourcesInput!) { reserveServiceResources(input: $input) { serviceId } }', { input: reservationRequest(so, so.items[0] as SagaItem) });
    expect(reserved.errors).toBeUndefined();
    const activated = await graphqlRequest<{ activateReservedService: { state: string; activatedAt: string } }>(inventoryUrl,
      'mutation ($id: ID!) { activateReservedService(reservationId: $id) { state activatedAt } }', { id: `${so._id}/1` });
    expect(activated.data).toEqual({ activateReservedService: { state: 'ACTIVE', activatedAt: expect.any(String) } });

    const done = await settled(app, 'PO-LANDED');
    const serviceId = reserved.data!.reserveServiceResources.serviceId;
    expect(done.so).toMatchObject({ state: 'COMPLETED', errorMessages: [], items: [expect.objectContaining({ state: 'COMPLETED', serviceId })] });
    // With inventory's activation time, which the item's service answers (@provides).
    const activatedAt = new Date(activated.data!.activateReservedService.activatedAt);
    expect(done.po).toMatchObject({ state: 'COMPLETED', items: [expect.objectContaining({ state: 'COMPLETED', serviceId, serviceActivatedAt: activatedAt })] });
    expect((await reservationsOf(app, so._id)).map((r) => r.state)).toEqual(['ACTIVE']);
    expect(await serviceState(app, serviceId)).toBe('ACTIVE');
  });

  it('should retry a step while inventory is down and finish the order once it is back', async () => {
    const inventory = app.sut.stack.subgraphs.inventory;
    const port = Number(new URL(inventory.url).port);
    await inventory.stop();
    const id = await submit(app, 'inventory-outage');
    await waitFor(async () => (await app.models.ServiceOrder.findOne({ productOrderId: id }).lean())?.state === 'IN_PROGRESS', 'saga started');
    await new Promise((resolve) => setTimeout(resolve, 500)); // feasibility is being retried meanwhile
    // Back on the same port, where every subgraph's configuration points.
    restarted = await startSubgraph(subgraphByName('inventory'), liveConfig(app), app.sut.stack.mongoUri, port, { log: () => {} });
    const { po, so } = await settled(app, id);
    expect(po.state).toBe('COMPLETED');
    expect(so).toMatchObject({ errorMessages: [], jeopardyAlerts: [] });
    expect(so.items[0].saga!.attempts.map((a) => a.step)).toEqual(STEPS);
  });

  it('should let the other runner resume an order whose runner stopped mid-step, without reserving or configuring twice', async () => {
    const key = 'handover';
    await injectFault(app, key, 'CONFIGURATION', 'DELAY', 1_500);
    const id = await submit(app, key, [premium('100Mbps')]);
    const reads = createAdapterModels(secondConn);
    const orders = subgraph.createModels(secondConn).ServiceOrder;
    const mid = await waitFor(async () => {
      const so = await orders.findOne({ productOrderId: id }).lean<ServiceOrderDoc>();
      return so?.items[0].saga?.step === 'CONFIGURATION' && so;
    }, 'configuration begun');
    const first = mid.claim!.owner;
    // Stop whichever instance holds the order: the stack's order subgraph or the second runner.
    if (first === SECOND) await second!.stop();
    else await app.sut.stack.subgraphs.order.stop();

    const done = await waitFor(async () => {
      const so = await orders.findById(mid._id).lean<ServiceOrderDoc>();
      return so?.state === 'COMPLETED' && so;
    }, 'order completed by the other instance');
    const attempts = done.items[0].saga!.attempts;
    // CONFIGURATION begun by the first instance, resumed by the other, which finished the order.
    expect(attempts.filter((a) => a.step === 'CONFIGURATION').map((a) => a.owner === first)).toEqual([true, false]);
    expect(attempts.at(-1)!.owner).not.toBe(first);
    const reservations = await reservationsOf(app, mid._id);
    expect(reservations.map((r) => r.state)).toEqual(['ACTIVE']);
    expect(await serviceState(app, reservations[0].serviceId)).toBe('ACTIVE');
    const configs = await reads.NetworkElementConfig.find({ _id: { $regex: `^${mid._id}/` } }).lean();
    expect(configs.map((c) => [c.state, c.applyCount])).toEqual([['CONFIGURED', 1], ['CONFIGURED', 1]]);
  });
});
