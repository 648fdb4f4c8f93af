import { describe, expect, it } from 'vitest';
import { useStarted } from '../../../kit/test-suite.js';
import { until } from '../../../kit/testing.js';
import { startCharging } from '../activation/charge-start.js';
import type { UnbilledServiceDoc } from '../models.js';
import { reconcileBilling } from '../revenue-assurance/reconcile.js';
import { scheduleReconciliation } from '../revenue-assurance/schedule.js';
import { ACTIVATED_AT, serviceEvent } from './activation-event.js';
import { billingWorld } from './fixture.js';
import { startBillingWithCatalog } from './with-catalog.js';

/**
 * The revenue-leakage register as billing start keeps it, against the real billing database and
 * the real catalog subgraph (inventory unreachable: these tests hand events over themselves).
 */
const sut = useStarted(() => startBillingWithCatalog(billingWorld()));


const entryOf = (serviceId: string) => sut.deps.models.UnbilledService.findById(serviceId).lean<UnbilledServiceDoc>();

const REGISTER = `query { unbilledServices(first: 50) { totalCount edges { node { service { id } customer { id } productOffering { id } activatedAt reason detail } } } }`;
type Register = { unbilledServices: { totalCount: number; edges: { node: { service: { id: string }; reason: string; detail: string } }[] } };

describe('the leakage register, as billing start keeps it', () => {
  it('should put an activation it cannot price on the register, and take it off once the service is charged', async () => {
    await startCharging(sut.deps, serviceEvent('svc-l-nooffer', { productOfferingId: 'NO_SUCH_OFFERING' }));
    expect(await entryOf('svc-l-nooffer')).toMatchObject({
      customerId: 'CUST-1001', productOfferingId: 'NO_SUCH_OFFERING', activatedAt: ACTIVATED_AT, reason: 'UNKNOWN_OFFERING',
      detail: expect.stringContaining('catalog has no product offering NO_SUCH_OFFERING'),
    });
    const listed = await sut.query<Register>(REGISTER);
    expect(listed.data!.unbilledServices.edges.map((e) => e.node)).toContainEqual(expect.objectContaining({ service: { id: 'svc-l-nooffer' }, reason: 'UNKNOWN_OFFERING' }));
    // The offering fixed upstream, a new activation event charges it: leakage over.
    expect(await startCharging(sut.deps, serviceEvent('svc-l-nooffer'))).toMatchObject({ kind: 'charged' });
    expect(await entryOf('svc-l-nooffer')).toBeNull();
  });

  it('should put a malformed activation that names its service on the register', async () => {
    const event = serviceEvent('svc-l-malformed', { customerId: undefined });
    await startCharging(sut.deps, event);
    expect(await entryOf('svc-l-malformed')).toMatchObject({ reason: 'MALFORMED_EVENT', customerId: null, detail: expect.stringContaining(`${event.eventId} could not be charged: malformed event: no customerId`) });
  });

  it('should keep the first detection time when the same service is reported again', async () => {
    await startCharging(sut.deps, serviceEvent('svc-l-twice', { productOfferingId: 'NOPE' }));
    const first = (await entryOf('svc-l-twice'))!.detectedAt;
    await new Promise((r) => setTimeout(r, 5));
    await startCharging(sut.deps, serviceEvent('svc-l-twice', { productOfferingId: 'NOPE' }));
    expect((await entryOf('svc-l-twice'))!.detectedAt).toEqual(first);
  });
});

describe('the reconciliation, when inventory cannot be asked', () => {
  it('should fail with SUBGRAPH_UNAVAILABLE naming inventory and leave the register as it was', async () => {
    await startCharging(sut.deps, serviceEvent('svc-l-kept', { productOfferingId: 'NOPE' }));
    const before = await sut.deps.models.UnbilledService.countDocuments();
    await expect(reconcileBilling(sut.deps)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'inventory' } });
    const res = await sut.query(`mutation { reconcileBilling { checkedServices } }`);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE' });
    expect(await sut.deps.models.UnbilledService.countDocuments()).toBe(before);
    expect(await entryOf('svc-l-kept')).not.toBeNull();
  });

  it('should be tried again at every interval by the background schedule, and stop with the worker', async () => {
    const logs: string[] = [];
    const config = { ...sut.deps.config, billingReconciliation: { intervalMs: 50, graceMs: 0 } };
    const schedule = scheduleReconciliation({ ...sut.deps, config, log: (msg) => logs.push(msg) });
    await until(() => logs.length >= 2, 5000, 'two scheduled runs');
    await schedule.stop();
    const after = logs.length;
    expect(logs[0]).toMatch(/^billing: reconciliation failed \(.*inventory.*\); next try in 50 ms$/);
    await new Promise((r) => setTimeout(r, 200));
    expect(logs).toHaveLength(after);
  });

  it.each([
    [{ first: -1 }, 'first'],
    [{ first: 1, after: 'not-a-cursor' }, 'after'],
  ])('should refuse a bad page of the register (%o) naming %s', async (args, field) => {
    const res = await sut.query(`query ($first: Int, $after: String) { unbilledServices(first: $first, after: $after) { totalCount } }`, args);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: field });
  });
});
