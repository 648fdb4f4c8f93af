import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../kit/db.js';
import { generateWorld } from '../seed/generate.js';
import { settledOrder, submitOrder } from './helpers/activation.js';
import { startStackUnderTest, type StackUnderTest } from './helpers/stack.js';

/**
 * Capacity is never oversubscribed: 50 orders racing for the room of 10 on the customer's slice,
 * end to end through the gateway — exactly 10 activate, 40 fail with RESOURCE_UNAVAILABLE.
 */
const world = generateWorld('small');
let app: StackUnderTest;

beforeAll(async () => {
  app = await startStackUnderTest(world, { activation: { adapterLatencyMs: 2, adapterFailureRate: 0, stepDeadlineMs: 300_000, sagaLeaseMs: 10_000 } });
});
afterAll(async () => {
  await app?.stop();
});

type Capacity = { total: number; used: number };
async function capacityOf(id: string): Promise<Capacity> {
  const res = await app.query<{ resource: { capacity: Capacity } }>(`query ($id: ID!) { resource(id: $id) { capacity { total used } } }`, { id });
  return res.data!.resource.capacity;
}

describe('the capacity race', () => {
  it('should let exactly 10 of 50 concurrent orders through when the network has room for 10', async () => {
    // What one 100 Mbps order takes from the customer's slice, measured on a probe order (the gNBs
    // have room for all fifty at that rate, so the slice is the only scarce resource).
    const sliceBefore = await capacityOf('slice-5g-001');
    const probe = await settledOrder(app, await submitOrder(app, 'race-probe', { bandwidth: '100Mbps' }));
    expect(probe.state).toBe('COMPLETED');
    const perOrder = (await capacityOf('slice-5g-001')).used - sliceBefore.used;
    expect(perOrder).toBeGreaterThan(0);
    // Leave room for exactly ten such orders on that slice and none on any other slice.
    const conn = await connectDatabase(app.stack.mongoUri, 'inventory');
    const resources = conn.db!.collection<{ _id: string; capacity: Capacity }>('resources');
    for (const s of await resources.find({ category: 'NETWORK_SLICE' }).toArray()) {
      const used = s._id === 'slice-5g-001' ? s.capacity.total - 10 * perOrder : s.capacity.total;
      await resources.updateOne({ _id: s._id }, { $set: { 'capacity.used': used } });
    }
    await conn.close();
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => submitOrder(app, `race-${i}`, { bandwidth: '100Mbps' })));
    const orders = await Promise.all(ids.map((id) => settledOrder(app, id, 280_000)));
    const states = orders.map((o) => o.state);
    const why = JSON.stringify(orders.filter((o) => o.state !== 'COMPLETED').map((o) => o.serviceOrders[0]?.errorMessages[0]?.message));
    expect(states.filter((s) => s === 'COMPLETED'), why).toHaveLength(10);
    expect(states.filter((s) => s === 'FAILED')).toHaveLength(40);
    for (const o of orders.filter((x) => x.state === 'FAILED')) expect(o.serviceOrders[0].errorMessages[0]).toMatchObject({ code: 'RESOURCE_UNAVAILABLE', message: expect.stringContaining('NETWORK_SLICE') });
    const slice = await capacityOf('slice-5g-001');
    expect(slice.used).toBeCloseTo(slice.total, 6);

  }, 320_000);
});
