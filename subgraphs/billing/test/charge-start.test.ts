import { describe, expect, it } from 'vitest';
import { useStarted } from '../../../kit/test-suite.js';
import { NOWHERE_URL } from '../../../kit/testing.js';
import { CHARGE_START_CONSUMER, startCharging } from '../activation/charge-start.js';
import type { ChargeDoc } from '../models.js';
import { ACTIVATED_AT, serviceEvent } from './activation-event.js';
import { billingWorld } from './fixture.js';
import { startBillingWithCatalog } from './with-catalog.js';

/**
 * Billing start (order-to-activate step 6) against the real billing database and the real
 * catalog subgraph: the reaction is handed inventory events shaped as the contract says.
 */
const sut = useStarted(() => startBillingWithCatalog(billingWorld()));


const chargesOf = (serviceId: string) => sut.deps.models.Charge.find({ serviceId }).sort({ chargeType: 1 }).lean<ChargeDoc[]>();
const profileOf = (serviceId: string) => sut.deps.models.ChargingProfile.findById(serviceId).lean();
const dedupeRecords = (eventId: string) => sut.billing.conn.collection<{ _id: string }>('processedEvents').countDocuments({ _id: `${CHARGE_START_CONSUMER}:${eventId}` });

describe('billing start: a service reported ACTIVE', () => {
  it('should start the recurring fee and the activation fee at activatedAt on the customer’s account', async () => {
    const outcome = await startCharging(sut.deps, serviceEvent('svc-a-1'));
    expect(outcome).toMatchObject({ kind: 'charged', billingAccountId: 'BA-1001' });
    const charges = await chargesOf('svc-a-1');
    expect(charges).toEqual([
      expect.objectContaining({
        _id: 'CHG-svc-a-1-PRICE-5G-ACTIVATION', billingAccountId: 'BA-1001', chargeType: 'ONE_TIME', amount: 19.99, currency: 'EUR',
        startDate: ACTIVATED_AT, endDate: null, productOfferingId: '5G_PREMIUM', priceId: 'PRICE-5G-ACTIVATION', serviceId: 'svc-a-1', state: 'ACTIVE',
      }),
      expect.objectContaining({
        _id: 'CHG-svc-a-1-PRICE-5G-MONTHLY', billingAccountId: 'BA-1001', chargeType: 'RECURRING', amount: 49.99, currency: 'EUR',
        startDate: ACTIVATED_AT, endDate: null, priceId: 'PRICE-5G-MONTHLY', serviceId: 'svc-a-1', state: 'ACTIVE', description: '5G Premium – monthly fee',
      }),
    ]);
    // Usage is charged when rated, never at activation.
    expect(charges.some((c) => c.chargeType === 'USAGE')).toBe(false);
  });

  it('should give the service a charging profile with the 5G_PREMIUM rating groups since activatedAt', async () => {
    await startCharging(sut.deps, serviceEvent('svc-a-2'));
    expect(await profileOf('svc-a-2')).toMatchObject({
      _id: 'svc-a-2', customerId: 'CUST-1001', billingAccountId: 'BA-1001', productOfferingId: '5G_PREMIUM', ratingGroups: ['DATA_5G_PREMIUM'], since: ACTIVATED_AT,
    });
  });

  it('should charge exactly once when the same event is delivered five times at once', async () => {
    const event = serviceEvent('svc-a-3');
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => startCharging(sut.deps, structuredClone(event))));
    expect(outcomes.filter((o) => o.kind === 'charged')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(4);
    expect(await chargesOf('svc-a-3')).toHaveLength(2);
    expect(await sut.deps.models.ChargingProfile.countDocuments({ _id: 'svc-a-3' })).toBe(1);
    expect(await dedupeRecords(event.eventId)).toBe(1);
  });

  it('should not charge a service twice when a second activation event for it arrives', async () => {
    await startCharging(sut.deps, serviceEvent('svc-a-4'));
    const again = await startCharging(sut.deps, serviceEvent('svc-a-4', { activatedAt: new Date(ACTIVATED_AT.getTime() + 60_000) }));
    expect(again).toMatchObject({ kind: 'charged', createdChargeIds: [] });
    const charges = await chargesOf('svc-a-4');
    expect(charges).toHaveLength(2);
    expect(charges.map((c) => c.startDate)).toEqual([ACTIVATED_AT, ACTIVATED_AT]);
  });

  it('should keep charging a service that already has seeded charges to its existing ones', async () => {
    // svc-5g-001 is charged in the fixture world (CH-789-1, CH-789-2): redelivering its activation adds nothing.
    const before = await chargesOf('svc-5g-001');
    const account = await sut.deps.models.BillingAccount.findById('BA-789').lean();
    const outcome = await startCharging(sut.deps, serviceEvent('svc-5g-001', { customerId: 'CUST-789' }));
    expect(outcome).toMatchObject({ kind: 'charged', billingAccountId: 'BA-789', createdChargeIds: [] });
    // Not even touched: the existing charges and account keep their update times.
    expect(await chargesOf('svc-5g-001')).toEqual(before);
    expect(await sut.deps.models.BillingAccount.findById('BA-789').lean()).toEqual(account);
  });

  it('should open an ACTIVE account for a customer who has none, once, however many services activate at once', async () => {
    const events = ['svc-b-1', 'svc-b-2', 'svc-b-3'].map((id) => serviceEvent(id, { customerId: 'CUST-NEW-1' }));
    const outcomes = await Promise.all(events.map((e) => startCharging(sut.deps, e)));
    expect(outcomes.map((o) => o.kind === 'charged' && o.billingAccountId)).toEqual(['BA-NEW-1', 'BA-NEW-1', 'BA-NEW-1']);
    const accounts = await sut.deps.models.BillingAccount.find({ customerId: 'CUST-NEW-1' }).lean();
    expect(accounts).toEqual([expect.objectContaining({ _id: 'BA-NEW-1', state: 'ACTIVE', currency: 'EUR', balance: 0, paymentMethod: null, name: 'CUST-NEW-1 – main account' })]);
    expect(await sut.deps.models.Charge.countDocuments({ billingAccountId: 'BA-NEW-1' })).toBe(6);
  });
});

describe('billing start: nothing to charge', () => {
  it.each(['RESERVED', 'TERMINATED', 'INACTIVE'])('should not charge a service whose state is %s', async (state) => {
    const serviceId = `svc-c-${state}`;
    const outcome = await startCharging(sut.deps, serviceEvent(serviceId, { state, activatedAt: state === 'TERMINATED' ? ACTIVATED_AT : null }));
    expect(outcome).toEqual({ kind: 'ignored', reason: `service state ${state}` });
    expect(await chargesOf(serviceId)).toEqual([]);
    expect(await profileOf(serviceId)).toBeNull();
  });

  it('should not charge on the service’s create event', async () => {
    const outcome = await startCharging(sut.deps, serviceEvent('svc-c-create', { eventType: 'ServiceCreateEvent', state: 'RESERVED', previousState: null, activatedAt: null }));
    expect(outcome.kind).toBe('ignored');
    expect(await chargesOf('svc-c-create')).toEqual([]);
  });

  it('should skip, with a log line, a service whose offering the catalog does not know', async () => {
    const outcome = await startCharging(sut.deps, serviceEvent('svc-c-nooffer', { productOfferingId: 'NO_SUCH_OFFERING' }));
    expect(outcome).toEqual({ kind: 'ignored', reason: 'unknown offering NO_SUCH_OFFERING' });
    expect(await chargesOf('svc-c-nooffer')).toEqual([]);
    expect(sut.logs.some((l) => l.includes('svc-c-nooffer') && l.includes('NO_SUCH_OFFERING'))).toBe(true);
  });

  it('should skip a malformed event instead of failing on it for ever', async () => {
    const event = serviceEvent('svc-c-malformed', { customerId: undefined });
    const outcome = await startCharging(sut.deps, event);
    expect(outcome).toEqual({ kind: 'ignored', reason: 'malformed event: no customerId' });
    expect(sut.logs.some((l) => l.includes(event.eventId) && l.includes('no customerId'))).toBe(true);
  });

  it('should fail, to be retried, and write nothing while the catalog is unreachable', async () => {
    const down = { ...sut.config, subgraphs: { ...sut.config.subgraphs, catalog: { port: 0, url: NOWHERE_URL } } };
    const event = serviceEvent('svc-c-down');
    await expect(startCharging({ ...sut.deps, config: down }, event)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'catalog' } });
    expect(await chargesOf('svc-c-down')).toEqual([]);
    expect(await dedupeRecords(event.eventId)).toBe(0);
    // The consumer's retry, once the catalog answers again, charges it.
    expect(await startCharging(sut.deps, event)).toMatchObject({ kind: 'charged' });
    expect(await chargesOf('svc-c-down')).toHaveLength(2);
  });

  it('should charge from eventTime, never earlier, when the event carries no activatedAt', async () => {
    const event = serviceEvent('svc-c-notime', { activatedAt: null });
    await startCharging(sut.deps, event);
    expect((await chargesOf('svc-c-notime')).map((c) => c.startDate)).toEqual([event.eventTime, event.eventTime]);
  });
});
