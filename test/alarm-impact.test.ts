import { describe, expect, it } from 'vitest';
import { generateWorld } from '../seed/generate.js';
import { useStack } from './helpers/stack.js';
import { bruteForceImpact } from './helpers/impact-oracle.js';

const IMPACT = /* GraphQL */ `
  query Impact($id: ID!) {
    alarm(id: $id) { id perceivedSeverity state probableCause
      alarmedObject { id category
        impactedServices(first: 10) { totalCount edges { node { id customer { id name slaTier } } } }
        impactedCustomers(first: 10) { totalCount edges { node { id name segment slaTier } } } } } }`;

const world = generateWorld('small');
const app = useStack(world);

type Impact = {
  alarm: { id: string; state: string; alarmedObject: { id: string; category: string;
    impactedServices: { totalCount: number; edges: { node: { id: string; customer: { id: string; name: string } | null } }[] };
    impactedCustomers: { totalCount: number; edges: { node: { id: string; name: string; segment: string } }[] } } } | null;
};

/** The raised alarm whose resource hurts the most customers: the interesting case. */
function worstAlarm() {
  return world.alarms
    .filter((a) => a.state !== 'CLEARED')
    .map((a) => ({ alarm: a, impact: bruteForceImpact(world, a.resourceId) }))
    .sort((x, y) => y.impact.customerIds.length - x.impact.customerIds.length)[0];
}

describe('alarm impact through the gateway', () => {
  it('should count the impacted services and customers the topology implies', async () => {
    const { alarm, impact } = worstAlarm();
    expect(impact.customerIds.length).toBeGreaterThan(0);
    const res = await app.query<Impact>(IMPACT, { id: alarm.id });
    expect(res.errors).toBeUndefined();
    const obj = res.data!.alarm!.alarmedObject;
    expect(obj.id).toBe(alarm.resourceId);
    expect(obj.impactedServices.totalCount).toBe(impact.serviceIds.length);
    expect(obj.impactedCustomers.totalCount).toBe(impact.customerIds.length);
  });

  it('should page impacted customers in a stable order with names from the customer subgraph', async () => {
    const { alarm, impact } = worstAlarm();
    const res = await app.query<Impact>(IMPACT, { id: alarm.id });
    const nodes = res.data!.alarm!.alarmedObject.impactedCustomers.edges.map((e) => e.node);
    expect(nodes.map((n) => n.id)).toEqual(impact.customerIds.slice(0, 10));
    for (const n of nodes) expect(n.name).toBe(world.customers.find((c) => c.id === n.id)!.name);
    const services = res.data!.alarm!.alarmedObject.impactedServices.edges.map((e) => e.node);
    expect(services.map((s) => s.id)).toEqual(impact.serviceIds.slice(0, 10));
    for (const s of services) expect(s.customer?.id ?? null).toBe(world.services.find((w) => w.id === s.id)!.customerId);
  });

  it('should answer which resources a service resource depends on and how many customers it serves', async () => {
    const res = await app.query<{ resource: { id: string; dependsOn: { id: string }[]; impactedCustomers: { totalCount: number } } }>(
      `{ resource(id: "gNB-001") { id name category dependsOn { id category } impactedCustomers(first: 50) { totalCount } } }`,
    );
    expect(res.errors).toBeUndefined();
    const gnb = world.resources.find((r) => r.id === 'gNB-001')!;
    const upward = new Set<string>();
    const walk = (id: string) => world.resources.find((r) => r.id === id)!.reliesOn.forEach((u) => (upward.add(u), walk(u)));
    walk(gnb.id);
    expect(new Set(res.data!.resource.dependsOn.map((r) => r.id))).toEqual(upward);
    expect(res.data!.resource.impactedCustomers.totalCount).toBe(bruteForceImpact(world, 'gNB-001').customerIds.length);
  });

  it('should answer null for an unknown alarm', async () => {
    const res = await app.query<Impact>(IMPACT, { id: 'no-such-alarm' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.alarm).toBeNull();
  });
});
