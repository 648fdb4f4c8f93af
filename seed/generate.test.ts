import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { EPOCH, generateWorld } from './generate.js';
import { integrityProblems, invariantProblems } from './world-checks.js';
import type { World } from './world.js';

const hash = (world: World) => createHash('sha256').update(JSON.stringify(world)).digest('hex');

/**
 * Customers with an ACTIVE service on the resource or on anything relying on it, transitively.
 * Written here from scratch (not the generator's impact.ts) so the landmark is checked independently.
 */
function customersBehind(world: World, resourceId: string): Set<string> {
  const down = new Map<string, string[]>();
  for (const r of world.resources) {
    for (const up of r.reliesOn) down.set(up, (down.get(up) ?? []).concat(r.id));
  }
  const reached = new Set([resourceId]);
  const frontier = [resourceId];
  while (frontier.length > 0) {
    for (const d of down.get(frontier.pop()!) ?? []) {
      if (reached.has(d)) continue;
      reached.add(d);
      frontier.push(d);
    }
  }
  const customers = new Set<string>();
  for (const s of world.services) {
    if (s.state === 'ACTIVE' && s.customerId && s.supportingResourceIds.some((r) => reached.has(r))) customers.add(s.customerId);
  }
  return customers;
}

describe('generateWorld (small)', () => {
  const world = generateWorld('small');

  describe('determinism', () => {
    it('should produce an identical world for the same seed', () => {
      expect(hash(generateWorld('small'))).toBe(hash(world));
    });

    it('should produce a different world for another seed', () => {
      expect(hash(generateWorld('small', 7))).not.toBe(hash(world));
    });

    it('should date nothing after the epoch', () => {
      const dates = [
        ...world.customers.map((c) => c.createdAt),
        ...world.productOrders.flatMap((o) => [o.orderDate, o.completionDate]),
        ...world.services.map((s) => s.activatedAt),
        ...world.billingAccounts.flatMap((a) => [...a.charges.map((c) => c.startDate), ...a.bills.map((b) => b.billDate), ...a.payments.map((p) => p.paymentDate)]),
        ...world.alarms.flatMap((a) => [a.raisedAt, a.changedAt, a.clearedAt]),
        ...world.interactions.map((i) => i.createdAt),
        ...world.measurements.map((m) => m.at),
      ];
      expect(dates.filter((d) => d && d.getTime() > EPOCH.getTime())).toEqual([]);
    });
  });

  describe('integrity and business rules', () => {
    it('should reference only ids that exist, with no reliesOn cycles', () => {
      expect(integrityProblems(world)).toEqual([]);
    });

    it('should charge only ACTIVE services, from activatedAt, and charge every one of them', () => {
      expect(invariantProblems(world)).toEqual([]);
    });

    it('should leave FAILED and REJECTED orders without an ACTIVE service or charge', () => {
      const charged = new Set(world.billingAccounts.flatMap((a) => a.charges.map((c) => c.serviceId)));
      const failed = world.productOrders.filter((o) => o.state === 'FAILED' || o.state === 'REJECTED');
      expect(failed.length).toBeGreaterThan(0);
      const services = new Map(world.services.map((s) => [s.id, s]));
      for (const item of failed.flatMap((o) => o.items)) {
        if (item.serviceId) expect(services.get(item.serviceId)?.state).not.toBe('ACTIVE');
        if (item.serviceId) expect(charged.has(item.serviceId)).toBe(false);
      }
    });

    it('should include every order outcome portals display', () => {
      const states = new Set(world.productOrders.map((o) => o.state));
      for (const s of ['COMPLETED', 'IN_PROGRESS', 'FAILED', 'PARTIAL', 'REJECTED'] as const) expect(states).toContain(s);
    });

    it('should have about 200 customers of both segments, enterprises with SLA tiers', () => {
      expect(world.customers).toHaveLength(200);
      const enterprises = world.customers.filter((c) => c.segment === 'ENTERPRISE');
      expect(enterprises.length).toBeGreaterThan(10);
      expect(enterprises.every((c) => c.slaTier !== null && c.organization)).toBe(true);
      const consumers = world.customers.filter((c) => c.segment === 'CONSUMER');
      expect(consumers.filter((c) => c.slaTier === null).length / consumers.length).toBeGreaterThan(0.9);
    });

    it('should have open and cleared alarms on real resources', () => {
      expect(world.alarms.some((a) => a.state === 'RAISED')).toBe(true);
      expect(world.alarms.some((a) => a.state === 'CLEARED' && a.clearedAt)).toBe(true);
      expect(world.alarms.some((a) => a.parentAlarmId !== null)).toBe(true);
    });
  });

  describe('the seed-document example', () => {
    it('should have CUST-789 with a COMPLETED 5G_PREMIUM order at 1Gbps', () => {
      const customer = world.customers.find((c) => c.id === 'CUST-789');
      expect(customer).toMatchObject({ status: 'ACTIVE', segment: 'ENTERPRISE', slaTier: 'GOLD' });
      const order = world.productOrders.find((o) => o.customerId === 'CUST-789' && o.items.some((i) => i.serviceId === 'svc-5g-001'));
      expect(order?.state).toBe('COMPLETED');
      expect(order?.items).toEqual([expect.objectContaining({ productOfferingId: '5G_PREMIUM', state: 'COMPLETED', characteristics: [{ name: 'bandwidth', value: '1Gbps' }] })]);
    });

    it('should realise it as svc-5g-001 ACTIVE on gNB-001 and slice-5g-001, charged from activation', () => {
      const order = world.productOrders.find((o) => o.items.some((i) => i.serviceId === 'svc-5g-001'))!;
      const service = world.services.find((s) => s.id === 'svc-5g-001')!;
      expect(service).toMatchObject({ state: 'ACTIVE', customerId: 'CUST-789', productOfferingId: '5G_PREMIUM', supportingResourceIds: ['gNB-001', 'slice-5g-001'] });
      expect(service.activatedAt).toEqual(order.completionDate);
      const charges = world.billingAccounts.find((a) => a.customerId === 'CUST-789')!.charges;
      expect(charges).toContainEqual(expect.objectContaining({ chargeType: 'RECURRING', serviceId: 'svc-5g-001', startDate: service.activatedAt, state: 'ACTIVE' }));
      expect(world.landmarks).toMatchObject({ exampleCustomerId: 'CUST-789', exampleServiceId: 'svc-5g-001' });
    });
  });
});

describe('generateWorld (large)', () => {
  let world: World;
  let elapsedMs: number;

  beforeAll(() => {
    const started = performance.now();
    world = generateWorld('large');
    elapsedMs = performance.now() - started;
  });

  it('should generate in well under 20 seconds', () => {
    expect(elapsedMs).toBeLessThan(20_000);
  });

  it('should put at least 10,000 distinct customers behind the landmark fibre link', () => {
    const link = world.resources.find((r) => r.id === world.landmarks.bigFibreLinkId);
    expect(link?.category).toBe('FIBRE_LINK');
    expect(customersBehind(world, link!.id).size).toBeGreaterThanOrEqual(10_000);
  });

  it('should stay referentially sound and leak no revenue at scale', () => {
    expect(integrityProblems(world)).toEqual([]);
    expect(invariantProblems(world)).toEqual([]);
  });

  it('should keep the seed-document example', () => {
    expect(world.services.find((s) => s.id === 'svc-5g-001')).toMatchObject({ customerId: 'CUST-789', supportingResourceIds: ['gNB-001', 'slice-5g-001'] });
  });
});
