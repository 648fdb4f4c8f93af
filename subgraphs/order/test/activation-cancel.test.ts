import { describe, expect, it } from 'vitest';
import { graphqlRequest } from '../../../kit/testing.js';
import { useStarted } from '../../../kit/test-suite.js';
import { freshSaga } from '../activation/decompose.js';
import {
  capacityUsed, injectFault, productOrder, productOrderEvents, reservationsOf, serviceOrderEvents, serviceOrderOf, serviceState, settled, startActivationStack, submit, waitFor,
} from './activation-fixture.js';

/**
 * TMF622 cancellation of an order in progress: ASSESSING_CANCELLATION → PENDING_CANCELLATION →
 * CANCELLED with compensation, or refused (CONFLICT) with the order back where it was.
 */
const app = useStarted(() => startActivationStack());
const SEED_RESOURCES = ['gNB-001', 'slice-5g-001'];
const states = (events: { state: string }[]) => events.map((e) => e.state);

interface Cancelled {
  cancelProductOrder: { id: string; state: string; cancellationReason: string | null };
}
const cancel = (productOrderId: string, reason: string | null = 'customer changed their mind') =>
  graphqlRequest<Cancelled>(app.orderUrl, `mutation ($input: CancelProductOrderInput!) { cancelProductOrder(input: $input) { id state cancellationReason } }`, { input: { productOrderId, reason } });

describe('cancellation accepted', () => {
  it('should cancel an order whose configuration step is delayed at once, undoing the reservation', async () => {
    const key = 'cancel-during-configuration';
    const DELAY = 4_000;
    await injectFault(app, key, 'CONFIGURATION', 'DELAY', DELAY);
    const before = await capacityUsed(app, SEED_RESOURCES);
    const id = await submit(app, key);
    const reserved = await waitFor(async () => {
      const so = await serviceOrderOf(app, id);
      return so?.items[0].saga?.step === 'CONFIGURATION' && so;
    }, 'reservation made');
    expect(await capacityUsed(app, SEED_RESOURCES)).not.toEqual(before);

    const res = await cancel(id);
    expect(res.errors).toBeUndefined();
    expect(res.data!.cancelProductOrder).toEqual({ id, state: 'PENDING_CANCELLATION', cancellationReason: 'customer changed their mind' });
    const { po, so } = await settled(app, id);
    // The delayed step was interrupted, not waited for.
    const configurationBegan = so.items[0].saga!.attempts.find((a) => a.step === 'CONFIGURATION')!.at.getTime();
    expect(po.completionDate!.getTime() - configurationBegan).toBeLessThan(DELAY);
    expect(states(await productOrderEvents(app, id))).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'ASSESSING_CANCELLATION', 'PENDING_CANCELLATION', 'CANCELLED']);
    expect(states(await serviceOrderEvents(app, so._id))).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'PENDING_CANCELLATION', 'CANCELLED']);
    expect(po).toMatchObject({ state: 'CANCELLED', cancellationReason: 'customer changed their mind', completionDate: expect.any(Date), items: [expect.objectContaining({ state: 'CANCELLED' })] });
    expect(so).toMatchObject({ state: 'CANCELLED', errorMessages: [], items: [expect.objectContaining({ state: 'CANCELLED', saga: expect.objectContaining({ step: 'DONE', compensateTo: 'CANCELLED' }) })] });
    expect(await capacityUsed(app, SEED_RESOURCES)).toEqual(before);
    const [reservation] = await reservationsOf(app, reserved._id);
    expect(reservation.state).toBe('RELEASED');
    expect(await serviceState(app, reservation.serviceId)).toBe('TERMINATED');

    // Once the delay is over, the interrupted step does nothing more: no configuration appears.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, configurationBegan + DELAY - Date.now()) + 300));
    expect(await app.adapters.NetworkElementConfig.countDocuments({ _id: { $regex: `^${so._id}/` } })).toBe(0);
    expect((await productOrder(app, id))!.state).toBe('CANCELLED');
  });

  it('should cancel before activation when activation is delayed, rolling back the configuration', async () => {
    const key = 'cancel-before-activation';
    await injectFault(app, key, 'ACTIVATION', 'DELAY', 1_500);
    const id = await submit(app, key);
    await waitFor(async () => (await serviceOrderOf(app, id))?.items[0].saga?.step === 'ACTIVATION', 'activation step begun');
    expect((await cancel(id)).data?.cancelProductOrder.state).toBe('PENDING_CANCELLATION');
    const { so } = await settled(app, id);
    expect(so.state).toBe('CANCELLED');
    const configs = await app.adapters.NetworkElementConfig.find({ _id: { $regex: `^${so._id}/` } }).lean();
    expect(configs.map((c) => c.state)).toEqual(['ROLLED_BACK', 'ROLLED_BACK']);
    expect((await reservationsOf(app, so._id)).map((r) => r.state)).toEqual(['RELEASED']);
  });

  it('should cancel an order not yet sent to the network at once, and refuse a second cancellation', async () => {
    // Stored without its create event, so the BSS → OSS consumer never decomposes it.
    const id = 'PO-NOT-DECOMPOSED';
    await app.models.ProductOrder.create({ _id: id, customerId: 'CUST-789', state: 'ACKNOWLEDGED', orderDate: new Date(),
      items: [{ id: '1', action: 'ADD', state: 'ACKNOWLEDGED', productOfferingId: '5G_PREMIUM', characteristics: [] }] });
    const res = await cancel(id, null);
    expect(res.data!.cancelProductOrder).toEqual({ id, state: 'CANCELLED', cancellationReason: null });
    expect(states(await productOrderEvents(app, id))).toEqual(['ASSESSING_CANCELLATION', 'PENDING_CANCELLATION', 'CANCELLED']);
    expect((await productOrder(app, id))!.items[0].state).toBe('CANCELLED');
    expect((await cancel(id)).errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
  });
});

describe('cancellation refused', () => {
  it('should refuse a completed order as a CONFLICT and change nothing', async () => {
    const id = await submit(app, 'too-late');
    expect((await settled(app, id)).po.state).toBe('COMPLETED');
    const events = await productOrderEvents(app, id);
    const res = await cancel(id);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringContaining('COMPLETED'), extensions: { code: 'CONFLICT' } });
    expect((await productOrder(app, id))!.state).toBe('COMPLETED');
    expect(await productOrderEvents(app, id)).toEqual(events);
  });

  it('should refuse an order whose item is being activated, putting it back IN_PROGRESS with events', async () => {
    // An order caught between activation and its confirmation (no saga instance holds it).
    const id = 'PO-ACTIVATING';
    const now = new Date();
    await app.models.ProductOrder.create({ _id: id, customerId: 'CUST-789', state: 'IN_PROGRESS', orderDate: now,
      items: [{ id: '1', action: 'ADD', state: 'IN_PROGRESS', productOfferingId: '5G_PREMIUM', characteristics: [] }] });
    await app.models.ServiceOrder.create({ _id: 'SO-ACTIVATING', productOrderId: id, customerId: 'CUST-789', state: 'IN_PROGRESS', orderDate: now, claim: { owner: null, until: new Date(0) },
      items: [{ id: '1', productOrderItemId: '1', action: 'ADD', state: 'IN_PROGRESS', serviceSpecification: { id: 'SS-5G-DATA', name: '5G Data Service' },
        saga: { ...freshSaga(), step: 'AWAITING_CONFIRMATION', activationRequestedAt: now } }] });
    const res = await cancel(id);
    expect(res.errors?.[0]).toMatchObject({ message: expect.stringContaining('item 1 is already being activated'), extensions: { code: 'CONFLICT' } });
    expect(states(await productOrderEvents(app, id))).toEqual(['ASSESSING_CANCELLATION', 'IN_PROGRESS']);
    expect((await productOrder(app, id))!).toMatchObject({ state: 'IN_PROGRESS', cancellationReason: null });
    expect((await app.models.ServiceOrder.findById('SO-ACTIVATING').lean())!.state).toBe('IN_PROGRESS');
  });
});
