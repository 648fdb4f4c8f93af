import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { fixtureWorld } from './fixture.js';
import { expectBadUserInput, expectValidationError, ids, ok, type Conn, type IdNode } from './helpers.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

const SERVICE_FIELDS = `id name category state serviceSpecification { id name } characteristics { name value } activatedAt startDate endDate
  isServiceEnabled customer { id } productOffering { id } supportingResources { id } supportingServices { id }`;
const RESOURCE_FIELDS = `id href name category resourceSpecification { id } characteristics { name value unit } capacity { total used available unit }
  administrativeState operationalState usageState resourceStatus place { id name } relationships { relationshipType resource { id } }`;

describe('service(id)', () => {
  it('should return every field of a customer-facing service, supporting resources in stored order', async () => {
    const { data } = await ok<{ service: unknown }>(sut, `{ service(id: "svc-5g-001") { ${SERVICE_FIELDS} } }`);
    expect(data.service).toEqual({
      id: 'svc-5g-001', name: '5G Premium for Acme', category: 'CUSTOMER_FACING', state: 'ACTIVE',
      serviceSpecification: { id: 'CFS_5G_ACCESS', name: '5G access (CFS)' }, characteristics: [{ name: 'bandwidth', value: '1Gbps' }],
      activatedAt: '2025-01-13T00:00:00.000Z', startDate: '2025-01-13T00:00:00.000Z', endDate: null, isServiceEnabled: true,
      customer: { id: 'CUST-789' }, productOffering: { id: '5G_PREMIUM' },
      supportingResources: [{ id: 'slice-5g-001' }, { id: 'gNB-001' }], supportingServices: [{ id: 'rfs-5g-001' }],
    });
  });

  it('should return a resource-facing service without customer or offering', async () => {
    const { data } = await ok<{ service: Record<string, unknown> }>(sut, `{ service(id: "rfs-5g-001") { ${SERVICE_FIELDS} } }`);
    expect(data.service).toMatchObject({ category: 'RESOURCE_FACING', customer: null, productOffering: null, serviceSpecification: { id: 'RFS_5G_SLICE', name: '5G slice attachment (RFS)' } });
  });

  it('should fall back to the specification id as its name when the catalog does not name it', async () => {
    const { data } = await ok<{ service: Record<string, unknown> }>(sut, `{ service(id: "svc-bb-003") { state isServiceEnabled activatedAt serviceSpecification { id name } } }`);
    expect(data.service).toEqual({ state: 'INACTIVE', isServiceEnabled: false, activatedAt: null, serviceSpecification: { id: 'CFS_FIBRE', name: 'CFS_FIBRE' } });
  });

  it('should return null without errors for an unknown id', async () => {
    const { data } = await ok<{ service: unknown }>(sut, `{ service(id: "svc-nope") { id } }`);
    expect(data.service).toBeNull();
  });
});

describe('resource(id)', () => {
  it('should return every field, with href, computed available capacity, units and place', async () => {
    const { data } = await ok<{ resource: unknown }>(sut, `{ resource(id: "gNB-001") { ${RESOURCE_FIELDS} } }`);
    expect(data.resource).toEqual({
      id: 'gNB-001', href: '/resource/gNB-001', name: 'gNodeB Paris 001', category: 'GNB', resourceSpecification: null,
      characteristics: [{ name: 'band', value: 'n78', unit: null }, { name: 'carrierBandwidth', value: '100', unit: 'MHz' }],
      capacity: { total: 819, used: 400, available: 419, unit: 'PRB' },
      administrativeState: 'UNLOCKED', operationalState: 'ENABLE', usageState: 'ACTIVE', resourceStatus: 'AVAILABLE',
      place: { id: 'PL-SITE-001', name: 'Paris radio site 001' },
      relationships: [{ relationshipType: 'RELIES_ON', resource: { id: 'port-ar-002-01' } }, { relationshipType: 'BUNDLED', resource: { id: 'site-001' } }],
    });
  });

  it('should return states as recorded and null capacity and place when there are none', async () => {
    const { data } = await ok<{ resource: unknown }>(sut, `{ resource(id: "acc-rtr-003") { administrativeState operationalState usageState resourceStatus capacity { total } place { id } } }`);
    expect(data.resource).toEqual({ administrativeState: 'LOCKED', operationalState: 'DISABLE', usageState: 'IDLE', resourceStatus: 'ALARM', capacity: null, place: null });
  });

  it('should leave out relationships to resources that do not exist', async () => {
    const { data } = await ok<{ resource: { relationships: unknown } }>(sut, `{ resource(id: "port-ar-009-01") { relationships { relationshipType resource { id } } } }`);
    expect(data.resource.relationships).toEqual([{ relationshipType: 'RELIES_ON', resource: { id: 'acc-rtr-003' } }]);
  });

  it('should return null without errors for an unknown id', async () => {
    const { data } = await ok<{ resource: unknown }>(sut, `{ resource(id: "nope") { id dependsOn { id } } }`);
    expect(data.resource).toBeNull();
  });
});

const SERVICES = `query($first: Int, $after: String, $filter: ServiceFilter) {
  services(first: $first, after: $after, filter: $filter) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const RESOURCES = `query($first: Int, $after: String, $filter: ResourceFilter) {
  resources(first: $first, after: $after, filter: $filter) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
const allServiceIds = fixtureWorld.services.map((s) => s.id).sort();

describe('services(first, after, filter)', () => {
  it('should page through every service in id order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const { data }: { data: { services: Conn<IdNode> } } = await ok(sut, SERVICES, { first: 20, after });
      expect(data.services.totalCount).toBe(allServiceIds.length);
      seen.push(...ids(data.services));
      if (!data.services.pageInfo.hasNextPage) break;
      after = data.services.pageInfo.endCursor;
    }
    expect(seen).toEqual(allServiceIds);
  });

  it('should default to 20 and return an empty page for first: 0', async () => {
    const page = (await ok<{ services: Conn<IdNode> }>(sut, SERVICES, {})).data.services;
    expect(page.edges).toHaveLength(20);
    const empty = (await ok<{ services: Conn<IdNode> }>(sut, SERVICES, { first: 0 })).data.services;
    expect(empty).toEqual({ totalCount: allServiceIds.length, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('should filter by customer, state, category and offering, combined with AND', async () => {
    const run = async (filter: Record<string, unknown>) => (await ok<{ services: Conn<IdNode> }>(sut, SERVICES, { first: 100, filter })).data.services;
    expect(ids(await run({ customerId: 'CUST-789' }))).toEqual(['svc-5g-001', 'svc-old-789', 'svc-vpn-789']);
    expect(ids(await run({ state: 'TERMINATED' }))).toEqual(['svc-old-789']);
    expect(ids(await run({ category: 'RESOURCE_FACING' }))).toEqual(['rfs-5g-001', 'rfs-acc-002']);
    expect(ids(await run({ productOfferingId: '5G_PREMIUM' }))).toEqual(['svc-5g-001']);
    expect((await run({ customerId: 'CUST-789', state: 'ACTIVE' })).totalCount).toBe(2);
    expect(await run({ customerId: 'CUST-unknown' })).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('resources(first, after, filter)', () => {
  it('should page in id order with a correct total', async () => {
    const first = (await ok<{ resources: Conn<IdNode> }>(sut, RESOURCES, { first: 5 })).data.resources;
    const next = (await ok<{ resources: Conn<IdNode> }>(sut, RESOURCES, { first: 100, after: first.pageInfo.endCursor })).data.resources;
    const all = fixtureWorld.resources.map((r) => r.id).sort();
    expect(first.totalCount).toBe(all.length);
    expect([...ids(first), ...ids(next)]).toEqual(all);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(next.pageInfo.hasNextPage).toBe(false);
  });

  it('should filter by category and by name, case-insensitively and literally', async () => {
    const run = async (filter: Record<string, unknown>) => ids((await ok<{ resources: Conn<IdNode> }>(sut, RESOURCES, { first: 100, filter })).data.resources);
    expect(await run({ category: 'PORT' })).toEqual(['port-ar-001-01', 'port-ar-001-02', 'port-ar-002-01', 'port-ar-003-01', 'port-ar-009-01']);
    expect(await run({ nameContains: 'PARIS' })).toEqual(['fibre-001', 'gNB-001', 'site-001', 'slice-5g-001']);
    expect(await run({ nameContains: 'paris', category: 'GNB' })).toEqual(['gNB-001']);
    expect(await run({ nameContains: 'port-ar-00.-01 (' })).toEqual([]);
  });
});

describe('malformed arguments', () => {
  it('should reject a negative first, naming the argument', async () => {
    expectBadUserInput(await sut.query(SERVICES, { first: -1 }), 'first');
    expectBadUserInput(await sut.query(RESOURCES, { first: -5 }), 'first');
  });

  it('should reject first above the page-size cap', async () => {
    expectBadUserInput(await sut.query(SERVICES, { first: 101 }), 'first');
  });

  it('should reject a cursor this API did not issue', async () => {
    expectBadUserInput(await sut.query(SERVICES, { after: 'not-a-cursor' }), 'after');
    expectBadUserInput(await sut.query(RESOURCES, { after: Buffer.from('x:3').toString('base64url') }), 'after');
  });

  it('should reject an unknown enum value before execution', async () => {
    expectValidationError(await sut.query(`{ services(filter: { state: SLEEPING }) { totalCount } }`));
    expectValidationError(await sut.query(`{ resources(filter: { category: TOASTER }) { totalCount } }`));
  });
});
