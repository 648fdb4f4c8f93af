import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import { startCharging } from '../subgraphs/billing/activation/charge-start.js';
import { subgraph as billing } from '../subgraphs/billing/index.js';
import { useStack } from './helpers/stack.js';

/**
 * Revenue assurance end to end: billing's reconciliation reads inventory's active services
 * through inventory's API, and finance reads the leakage register through the gateway, each entry
 * expandable to the service, its customer and its offering.
 */
const world = generateWorld('small');
const app = useStack(world);

const RECONCILE = `mutation { reconcileBilling { checkedServices unbilledCount ranAt } }`;
const REGISTER = `query { unbilledServices(first: 50) { totalCount edges { node {
  service { id state } customer { id name } productOffering { id name } activatedAt reason detail detectedAt } } } }`;

type Reconciliation = { reconcileBilling: { checkedServices: number; unbilledCount: number; ranAt: string } };
type Entry = { service: { id: string; state: string }; customer: { id: string; name: string } | null; productOffering: { id: string; name: string } | null; activatedAt: string | null; reason: string; detail: string; detectedAt: string };
type Register = { unbilledServices: { totalCount: number; edges: { node: Entry }[] } };

async function reconcile() {
  const res = await app.query<Reconciliation>(RECONCILE);
  expect(res.errors).toBeUndefined();
  return res.data!.reconcileBilling;
}

async function register(): Promise<Entry[]> {
  const res = await app.query<Register>(REGISTER);
  expect(res.errors).toBeUndefined();
  expect(res.data!.unbilledServices.totalCount).toBe(res.data!.unbilledServices.edges.length);
  return res.data!.unbilledServices.edges.map((e) => e.node);
}

/**
 * A customer-facing service ACTIVE in inventory that billing never heard of (no activation event
 * reached it): written straight into inventory's database, as a migration or a lost event leaves it.
 */
async function activeServiceBillingNeverSaw(id: string, activatedAt: Date): Promise<void> {
  const services = app.stack.subgraphs.inventory.conn.collection('services');
  const model = (await services.findOne({ _id: 'svc-5g-001' as never }))!;
  await services.insertOne({ ...model, _id: id as never, activatedAt, startDate: activatedAt });
}

describe('revenue assurance: every active service is charged', () => {
  it('should find no leakage on the seeded network, where every active customer-facing service is charged', async () => {
    const activeCustomerFacing = world.services.filter((s) => s.state === 'ACTIVE' && s.category === 'CUSTOMER_FACING').length;
    const run = await reconcile();
    expect(run).toMatchObject({ checkedServices: activeCustomerFacing, unbilledCount: 0 });
    expect(await register()).toEqual([]);
  });

  it('should report an active service with no charge once its grace period is over, expandable across subgraphs', async () => {
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await activeServiceBillingNeverSaw('svc-leak-old', twoHoursAgo);
    // Activated a moment ago: its charges may still be on their way through the outbox.
    await activeServiceBillingNeverSaw('svc-leak-new', new Date());
    expect(await reconcile()).toMatchObject({ unbilledCount: 1 });
    const customer = world.customers.find((c) => c.id === 'CUST-789')!;
    expect(await register()).toEqual([{
      service: { id: 'svc-leak-old', state: 'ACTIVE' }, customer: { id: 'CUST-789', name: customer.name }, productOffering: { id: '5G_PREMIUM', name: expect.any(String) },
      activatedAt: twoHoursAgo.toISOString(), reason: 'NOT_CHARGED', detail: `ACTIVE in inventory since ${twoHoursAgo.toISOString()}; billing holds no charge for it`,
      detectedAt: expect.any(String),
    }]);
    // Running it again finds the same, and keeps when it was first found.
    const [first] = await register();
    await reconcile();
    expect(await register()).toEqual([first]);
  });

  it('should take a service off the register when billing charges it, and keep it off', async () => {
    await activeServiceBillingNeverSaw('svc-leak-charged', new Date(Date.now() - 3600_000));
    await reconcile();
    expect((await register()).map((e) => e.service.id)).toContain('svc-leak-charged');
    // The activation event reaches billing at last (billing start's own code, on billing's database).
    const conn = app.stack.subgraphs.billing.conn;
    const base = testConfig();
    const config = { ...base, subgraphs: { ...base.subgraphs, catalog: { port: 0, url: app.stack.subgraphs.catalog.url } } };
    const deps = { models: billing.createModels(conn), config, conn, log: () => {} };
    const eventId = randomUUID();
    const charged = await startCharging(deps, {
      _id: eventId, eventId, eventType: 'ServiceStateChangeEvent', eventTime: new Date(), serviceId: 'svc-leak-charged', state: 'ACTIVE',
      activatedAt: new Date(Date.now() - 3600_000), customerId: 'CUST-789', productOfferingId: '5G_PREMIUM',
    });
    expect(charged).toMatchObject({ kind: 'charged' });
    expect((await register()).map((e) => e.service.id)).not.toContain('svc-leak-charged');
    await reconcile();
    expect((await register()).map((e) => e.service.id)).not.toContain('svc-leak-charged');
  });

  it('should drop a service from the register once inventory no longer reports it active', async () => {
    await activeServiceBillingNeverSaw('svc-leak-ended', new Date(Date.now() - 3600_000));
    await reconcile();
    expect((await register()).map((e) => e.service.id)).toContain('svc-leak-ended');
    await app.stack.subgraphs.inventory.conn.collection('services').updateOne({ _id: 'svc-leak-ended' as never }, { $set: { state: 'TERMINATED' } });
    await reconcile();
    expect((await register()).map((e) => e.service.id)).not.toContain('svc-leak-ended');
  });
});
