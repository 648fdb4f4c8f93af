import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { graphqlRequest } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { useStack } from '../../../test/helpers/stack.js';

/**
 * Billing start wired to the real inventory outbox feed, and what portals see of it through the
 * gateway. The whole product runs; the inventory events are written into inventory's outbox as
 * inventory writes them, so the test does not depend on an activation having to happen first.
 */
const world = generateWorld('small');
const sut = useStack(world);

const example = world.services.find((s) => s.id === 'svc-5g-001')!;

interface ServiceBilling {
  charges: { totalCount: number; edges: { node: { chargeType: string; startDate: string; price: { amount: number } } }[] };
  chargingProfile: { ratingGroups: string[]; since: string; billingAccount: { id: string } } | null;
}

const SERVICE_BILLING = `charges(first: 10) { totalCount edges { node { chargeType startDate price { amount } } } }
  chargingProfile { ratingGroups since billingAccount { id } }`;

/** Billing's view of a service straight from the billing subgraph (the service itself need not exist in inventory). */
async function billingOf(serviceId: string): Promise<ServiceBilling> {
  const res = await graphqlRequest<{ _entities: ServiceBilling[] }>(sut.stack.subgraphs.billing.url,
    `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Service { ${SERVICE_BILLING} } } }`, { r: [{ __typename: 'Service', id: serviceId }] });
  expect(res.errors).toBeUndefined();
  return res.data!._entities[0];
}

/** Appends a service event to inventory's outbox, shaped as the contract says inventory writes it. */
async function inventoryEvent(serviceId: string, state: string, activatedAt: Date | null, customerId = 'CUST-789') {
  const eventId = randomUUID();
  await sut.stack.subgraphs.inventory.conn.collection<{ _id: string; [field: string]: unknown }>('events').insertOne({
    _id: eventId, eventId, eventType: 'ServiceStateChangeEvent', eventTime: new Date(), correlationId: `SO-${serviceId}/1`,
    serviceId, state, previousState: 'RESERVED', activatedAt, customerId, productOfferingId: '5G_PREMIUM',
    productOrderId: `PO-${serviceId}`, serviceOrderId: `SO-${serviceId}`, serviceOrderItemId: '1', resourceRefs: ['/resource/gNB-001', '/resource/slice-5g-001'],
  });
}

describe('billing start through the inventory outbox feed', () => {
  it('should show a service’s charges and charging profile to a portal through the gateway', async () => {
    const res = await sut.query<{ customer: { services: ({ id: string; activatedAt: string } & ServiceBilling)[] } }>(`query {
      customer(id: "CUST-789") { services { id activatedAt ${SERVICE_BILLING} } } }`);
    expect(res.errors).toBeUndefined();
    const service = res.data!.customer.services.find((s) => s.id === example.id)!;
    expect(service.chargingProfile).toEqual({ ratingGroups: ['DATA_5G_PREMIUM'], since: service.activatedAt, billingAccount: { id: 'BA-789' } });
    const recurring = service.charges.edges.find((e) => e.node.chargeType === 'RECURRING')!;
    expect(recurring.node.startDate).toBe(service.activatedAt);
  });

  it('should charge a service from activatedAt once inventory reports it ACTIVE', async () => {
    const activatedAt = new Date(Date.now() - 1000);
    await inventoryEvent('svc-feed-1', 'ACTIVE', activatedAt);
    const billing = await vi.waitFor(async () => {
      const b = await billingOf('svc-feed-1');
      expect(b.chargingProfile).not.toBeNull();
      return b;
    }, { timeout: 10_000, interval: 50 });
    expect(billing.chargingProfile).toEqual({ ratingGroups: ['DATA_5G_PREMIUM'], since: activatedAt.toISOString(), billingAccount: { id: 'BA-789' } });
    expect(billing.charges.edges.map((e) => [e.node.chargeType, e.node.startDate]).sort()).toEqual([
      ['ONE_TIME', activatedAt.toISOString()], ['RECURRING', activatedAt.toISOString()],
    ]);
  });

  it('should never charge a service inventory reserved or released', async () => {
    await inventoryEvent('svc-feed-2', 'TERMINATED', null);
    // A marker event behind it: once that one is charged, the consumer has passed the first.
    await inventoryEvent('svc-feed-3', 'ACTIVE', new Date());
    await vi.waitFor(async () => expect((await billingOf('svc-feed-3')).chargingProfile).not.toBeNull(), { timeout: 10_000, interval: 50 });
    expect(await billingOf('svc-feed-2')).toEqual({ charges: { totalCount: 0, edges: [] }, chargingProfile: null });
  });
});
