import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mongoose from 'mongoose';
import { connectDatabase } from '../../../../kit/db.js';
import { startTestMongo, testConfig } from '../../../../kit/testing.js';
import { AdapterError, adapterFor, createAdapterModels, createSimulatedNetwork, type AdapterModels, type ConfigureRequest } from './index.js';

let mongo: { uri: string; stop(): Promise<void> };
let conn: mongoose.Connection;
let models: AdapterModels;
const config = { ...testConfig().activation, adapterLatencyMs: 0 };

beforeAll(async () => {
  mongo = await startTestMongo();
  conn = await connectDatabase(mongo.uri, 'order');
  models = createAdapterModels(conn);
  await Promise.all(Object.values(models).map((m) => m.init()));
});
afterAll(async () => {
  await conn.close();
  await mongo.stop();
});

const order = { productOrderId: 'PO-T1', serviceOrderId: 'SO-T1', externalId: 'key-1', customerId: 'CUST-1', productOfferingId: '5G_PREMIUM' };
const request = (resourceId: string, category: string, over: Partial<ConfigureRequest> = {}): ConfigureRequest => ({
  key: `SO-T1/1/${resourceId}`, resourceId, category, serviceId: 'svc-t1', characteristics: [{ name: 'bandwidth', value: '1Gbps' }], order, ...over,
});

describe('simulated network adapters', () => {
  it('should route RAN resources to the EMS, slices and VPN ports to the SDN controller, fibre access to the OLT manager', () => {
    const { adapters } = createSimulatedNetwork(models, config);
    expect(['GNB', 'CELL', 'NETWORK_SLICE', 'PORT', 'OLT', 'PON_PORT', 'ONT'].map((c) => adapterFor(c, adapters)?.name)).toEqual(['EMS', 'EMS', 'SDN', 'SDN', 'OLT', 'OLT', 'OLT']);
    expect(adapterFor('FIBRE_LINK', adapters)).toBeNull();
  });

  it('should apply a configuration once however often the same key is configured, also concurrently', async () => {
    const { adapters } = createSimulatedNetwork(models, config);
    const req = request('gNB-001', 'GNB');
    await Promise.all(Array.from({ length: 8 }, () => adapters.EMS.configure(req)));
    await adapters.EMS.configure(req);
    const stored = await models.NetworkElementConfig.findById(req.key).lean();
    expect(stored).toMatchObject({ adapter: 'EMS', resourceId: 'gNB-001', serviceId: 'svc-t1', state: 'CONFIGURED', applyCount: 1 });
  });

  it('should roll a configuration back, and treat a rollback of nothing as done', async () => {
    const { adapters } = createSimulatedNetwork(models, config);
    const req = request('slice-5g-001', 'NETWORK_SLICE');
    await adapters.SDN.configure(req);
    await adapters.SDN.rollback(req);
    await adapters.SDN.rollback(req);
    await adapters.SDN.rollback(request('never-configured', 'NETWORK_SLICE'));
    expect(await models.NetworkElementConfig.findById(req.key).lean()).toMatchObject({ state: 'ROLLED_BACK', rolledBackAt: expect.any(Date) });
    expect(await models.NetworkElementConfig.countDocuments({ resourceId: 'never-configured' })).toBe(0);
  });

  it('should fail one element manager for orders matching a CONFIGURATION fault rule, and only those', async () => {
    await models.ActivationFault.create({ _id: 'f-sdn', match: { externalId: 'key-1' }, step: 'CONFIGURATION', adapter: 'SDN', effect: 'FAIL', message: 'slice controller refused' });
    const { adapters } = createSimulatedNetwork(models, config);
    const error = await adapters.SDN.configure(request('slice-5g-002', 'NETWORK_SLICE')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'INJECTED_FAULT', message: 'slice controller refused', retryable: false });
    await expect(adapters.EMS.configure(request('gNB-002', 'GNB'))).resolves.toBeUndefined();
    await expect(adapters.SDN.configure(request('slice-5g-002', 'NETWORK_SLICE', { order: { ...order, externalId: 'other' } }))).resolves.toBeUndefined();
    await models.ActivationFault.deleteOne({ _id: 'f-sdn' });
  });

  it('should fail or delay a saga step for matching orders through the fault injector', async () => {
    await models.ActivationFault.create([
      { _id: 'f-res', match: { customerId: 'CUST-1', productOfferingId: '5G_PREMIUM' }, step: 'RESERVATION', effect: 'FAIL' },
      { _id: 'f-act', match: {}, step: 'ACTIVATION', effect: 'DELAY', delayMs: 60 },
    ]);
    const { faults } = createSimulatedNetwork(models, config);
    await expect(faults.before('RESERVATION', order)).rejects.toMatchObject({ code: 'INJECTED_FAULT', message: expect.stringContaining('reservation') });
    await expect(faults.before('RESERVATION', { ...order, customerId: 'CUST-2' })).resolves.toBeUndefined();
    await expect(faults.before('FEASIBILITY', order)).resolves.toBeUndefined();
    const started = Date.now();
    await faults.before('ACTIVATION', order);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    await models.ActivationFault.deleteMany({});
  });

  it('should fail the configured share of calls when a failure rate is set', async () => {
    const { adapters } = createSimulatedNetwork(models, { ...config, adapterFailureRate: 1 });
    await expect(adapters.OLT.configure(request('olt-1', 'OLT'))).rejects.toMatchObject({ code: 'NE_REJECTED' });
    expect(await models.NetworkElementConfig.countDocuments({ resourceId: 'olt-1' })).toBe(0);
  });
});
