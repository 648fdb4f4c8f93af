import { describe, expect, it } from 'vitest';
import { useStack } from '../../../test/helpers/stack.js';
import { impactWorld, worldAlarmsBehind, worldFootprint, worldNetworkIssues, worldUnionImpact } from './impact-world.js';

const fixture = impactWorld();
const { world } = fixture;
const app = useStack(world);

interface Page<N> {
  totalCount: number;
  edges: ({ cursor: string; node: N } & Record<string, unknown>)[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface AlarmImpact {
  impact: { serviceCount: number; customerCount: number; enterpriseCustomerCount: number; bySlaTier: { tier: string; count: number }[] };
  impactedServices: Page<{ id: string; customer: { id: string } | null }>;
  impactedCustomers: Page<{ id: string; name: string; segment: string }> & { edges: { services: { id: string }[] }[] };
}

const IMPACT = /* GraphQL */ `query ($id: ID!, $first: Int, $after: String) { alarm(id: $id) {
  impact { serviceCount customerCount enterpriseCustomerCount bySlaTier { tier count } }
  impactedServices(first: $first, after: $after) { totalCount edges { cursor node { id customer { id } } } pageInfo { hasNextPage endCursor } }
  impactedCustomers(first: $first, after: $after) { totalCount edges { cursor node { id name segment } services { id } } pageInfo { hasNextPage endCursor } } } }`;

async function impactOf(id: string, first = 10, after: string | null = null): Promise<AlarmImpact> {
  const res = await app.query<{ alarm: AlarmImpact }>(IMPACT, { id, first, after });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.alarm;
}

const countsOf = (expected: ReturnType<typeof worldUnionImpact>) => ({
  serviceCount: expected.serviceIds.length, customerCount: expected.customerIds.length,
  enterpriseCustomerCount: expected.enterpriseCustomerCount, bySlaTier: expected.bySlaTier,
});

describe('Alarm.impact', () => {
  it("should count what a root cause's group hurts: the union over itself and its active children, cleared ones left out", async () => {
    const expected = worldUnionImpact(world, [fixture.fibre, ...fixture.inside, fixture.outside]);
    const withCleared = worldUnionImpact(world, [fixture.fibre, ...fixture.inside, fixture.outside, fixture.clearedOutside]);
    // The child outside the root's closure adds customers; the cleared one would have too.
    expect(expected.customerIds.length).toBeGreaterThan(worldUnionImpact(world, [fixture.fibre]).customerIds.length);
    expect(withCleared.customerIds.length).toBeGreaterThan(expected.customerIds.length);
    const got = await impactOf('ALM-IMP-ROOT');
    expect(got.impact).toEqual(countsOf(expected));
    expect(got.impact.enterpriseCustomerCount).toBeGreaterThan(0);
    expect(got.impactedServices.totalCount).toBe(expected.serviceIds.length);
    expect(got.impactedCustomers.totalCount).toBe(expected.customerIds.length);
  });

  it("should count only the alarmed object's impact for an alarm that is not a root cause", async () => {
    expect((await impactOf('ALM-IMP-OUT')).impact).toEqual(countsOf(worldUnionImpact(world, [fixture.outside])));
  });

  it('should count only the alarmed object for a root cause without active children', async () => {
    const lone = world.alarms.find((a) => a.resourceId === 'gNB-001' && a.state === 'RAISED' && !world.alarms.some((c) => c.parentAlarmId === a.id))!;
    expect((await impactOf(lone.id)).impact).toEqual(countsOf(worldUnionImpact(world, ['gNB-001'])));
  });

  it('should page impacted customers and services in id order, with details from the subgraphs that own them', async () => {
    const expected = worldUnionImpact(world, [fixture.fibre, ...fixture.inside, fixture.outside]);
    const customers: string[] = [];
    const services: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: AlarmImpact = await impactOf('ALM-IMP-ROOT', 25, after);
      for (const edge of page.impactedCustomers.edges) {
        const wc = world.customers.find((c) => c.id === edge.node.id)!;
        expect(edge.node).toEqual({ id: wc.id, name: wc.name, segment: wc.segment });
        for (const s of edge.services) expect(world.services.find((w) => w.id === s.id)!.customerId).toBe(wc.id);
        customers.push(edge.node.id);
      }
      for (const edge of page.impactedServices.edges) {
        expect(edge.node.customer?.id ?? null).toBe(world.services.find((w) => w.id === edge.node.id)!.customerId);
        services.push(edge.node.id);
      }
      if (!page.impactedServices.pageInfo.hasNextPage && !page.impactedCustomers.pageInfo.hasNextPage) break;
      after = page.impactedServices.pageInfo.endCursor;
    }
    expect(customers).toEqual(expected.customerIds);
    expect(services).toEqual(expected.serviceIds);
  });

  it('should reject a negative page size naming the argument', async () => {
    const res = await app.query(IMPACT, { id: 'ALM-IMP-ROOT', first: -1 });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'first' });
  });
});

const ISSUES = `query ($id: ID!) { customer(id: $id) { id networkIssues { id perceivedSeverity probableCause alarmedObject { id } } } }`;

describe('Customer.networkIssues', () => {
  it('should list the active alarms behind a customer\'s services, on their resources or anything above, most severe first', async () => {
    const behindRoot = worldUnionImpact(world, [fixture.fibre]).customerIds;
    for (const customerId of [world.landmarks.exampleCustomerId, behindRoot[0], behindRoot[behindRoot.length - 1]]) {
      const res = await app.query<{ customer: { networkIssues: { id: string }[] } }>(ISSUES, { id: customerId });
      expect(res.errors).toBeUndefined();
      const expected = worldNetworkIssues(world, customerId).map((a) => a.id);
      expect(expected.length, customerId).toBeGreaterThan(0);
      expect(res.data!.customer.networkIssues.map((a) => a.id), customerId).toEqual(expected);
    }
    const res = await app.query<{ customer: { networkIssues: { id: string }[] } }>(ISSUES, { id: behindRoot[0] });
    expect(res.data!.customer.networkIssues.map((a) => a.id)).toContain('ALM-IMP-ROOT');
  });

  it('should list nothing for a customer no active alarm is behind', async () => {
    const unaffected = world.customers.find((c) => world.services.some((s) => s.customerId === c.id && s.state === 'ACTIVE') && !worldNetworkIssues(world, c.id).length)!;
    const res = await app.query<{ customer: { networkIssues: unknown[] } }>(ISSUES, { id: unaffected.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer.networkIssues).toEqual([]);
  });

  it('should cost assurance the same database commands for 50 customers as for 5', async () => {
    const LIST = `query ($n: Int) { customers(first: $n) { edges { node { id networkIssues { id } } } } }`;
    const commands = async (n: number) => {
      const res = await app.query(LIST, { n });
      expect(res.errors).toBeUndefined();
      return (res.extensions!.dbCommands as Record<string, number>).assurance;
    };
    expect(await commands(50)).toBe(await commands(5));
  });
});

const HEALTH = `query ($id: ID!) { service(id: $id) { id health { status alarms { id } } } }`;

describe('Service.health', () => {
  const healthOf = async (id: string) => {
    const res = await app.query<{ service: { health: { status: string; alarms: { id: string }[] } } }>(HEALTH, { id });
    expect(res.errors).toBeUndefined();
    return res.data!.service.health;
  };
  const alarmsBehind = (serviceId: string) => worldAlarmsBehind(world, worldFootprint(world, serviceId)).map((a) => a.id);

  it('should be DOWN behind a service-affecting CRITICAL or MAJOR alarm, with the alarms behind it', async () => {
    const serviceId = worldUnionImpact(world, [fixture.fibre]).serviceIds[0];
    expect(await healthOf(serviceId)).toEqual({ status: 'DOWN', alarms: alarmsBehind(serviceId).map((id) => ({ id })) });
  });

  it('should be DEGRADED behind only lesser alarms, and OK behind none', async () => {
    expect(await healthOf(fixture.degradedServiceId)).toEqual({ status: 'DEGRADED', alarms: [{ id: 'ALM-IMP-WARN' }] });
    expect(await healthOf(fixture.healthyServiceId)).toEqual({ status: 'OK', alarms: [] });
  });
});

// Last: it changes the group the tests above count.
describe('Alarm.impact as the group changes', () => {
  const RAISE = `mutation ($input: RaiseAlarmInput!) { raiseAlarm(input: $input) { id isRootCause parentAlarm { id } } }`;
  const raise = async (resourceId: string) => {
    const res = await app.query<{ raiseAlarm: { id: string; isRootCause: boolean; parentAlarm: { id: string } | null } }>(RAISE, {
      input: { resourceId, perceivedSeverity: 'MAJOR', probableCause: 'powerProblems', alarmType: 'EQUIPMENT_ALARM', specificProblem: `impact test on ${resourceId}` },
    });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!.raiseAlarm;
  };

  it('should follow children joining and leaving a root cause', async () => {
    // A gNB is bundled in its site without relying on it: as the site fault's child it adds its own customers.
    const gnb = world.resources.find((r) => r.category === 'GNB' && r.bundledIn && worldUnionImpact(world, [r.id]).customerIds.length)!;
    const site = await raise(gnb.bundledIn!);
    expect((await impactOf(site.id)).impact).toEqual(countsOf(worldUnionImpact(world, [gnb.bundledIn!])));
    const child = await raise(gnb.id);
    expect(child.parentAlarm?.id).toBe(site.id);
    expect((await impactOf(site.id)).impact).toEqual(countsOf(worldUnionImpact(world, [gnb.bundledIn!, gnb.id])));
    const cleared = await app.query(`mutation ($id: ID!) { clearAlarm(id: $id) { id } }`, { id: child.id });
    expect(cleared.errors).toBeUndefined();
    expect((await impactOf(site.id)).impact).toEqual(countsOf(worldUnionImpact(world, [gnb.bundledIn!])));
  });

  it("should drop a child's customers from its root cause's impact once the child clears", async () => {
    const before = await impactOf('ALM-IMP-ROOT');
    expect(before.impact).toEqual(countsOf(worldUnionImpact(world, [fixture.fibre, ...fixture.inside, fixture.outside])));
    const res = await app.query(`mutation { clearAlarm(id: "ALM-IMP-OUT") { id state } }`);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect((await impactOf('ALM-IMP-ROOT')).impact).toEqual(countsOf(worldUnionImpact(world, [fixture.fibre, ...fixture.inside])));
  });
});
