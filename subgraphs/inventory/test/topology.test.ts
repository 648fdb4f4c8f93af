import { describe, expect, it } from 'vitest';
import { databaseName } from '../../../kit/db.js';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { downstreamClosure } from '../topology/downstream.js';
import { createModels } from '../models.js';
import { fixtureWorld } from './fixture.js';
import { expectBadUserInput, ids, ok, type Conn, type IdNode } from './helpers.js';
import { expectImpactToMatchBruteForce } from './oracle.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

const dependsOn = async (id: string) =>
  (await ok<{ resource: { dependsOn: { id: string }[] } }>(sut, `{ resource(id: "${id}") { dependsOn { id } } }`)).data.resource.dependsOn.map((r) => r.id);

describe('Resource.dependsOn', () => {
  it('should walk reliesOn upward, nearest first: port → access router → aggregation router → fibre → core', async () => {
    expect(await dependsOn('port-ar-002-01')).toEqual(['acc-rtr-002', 'agg-rtr-001', 'fibre-001', 'core-rtr-001']);
  });

  it('should list each resource once, at its nearest distance, in recorded order within a level', async () => {
    // slice → [gNB-001, cnf-upf-001]; gNB → port, upf → core (level 2); the fibre path reaches core again later.
    expect(await dependsOn('slice-5g-001')).toEqual(['gNB-001', 'cnf-upf-001', 'port-ar-002-01', 'core-rtr-001', 'acc-rtr-002', 'agg-rtr-001', 'fibre-001']);
    expect(await dependsOn('cpe-001')).toEqual(['port-ar-001-02', 'port-ar-003-01', 'acc-rtr-001', 'acc-rtr-003', 'agg-rtr-001', 'agg-rtr-002', 'fibre-001', 'fibre-002', 'core-rtr-001']);
  });

  it('should never include the resource itself, even through a cycle', async () => {
    expect(await dependsOn('mw-001')).toEqual(['mw-002', 'agg-rtr-002', 'fibre-002', 'core-rtr-001']);
  });

  it('should skip dangling references and return [] at the top', async () => {
    expect(await dependsOn('port-ar-009-01')).toEqual(['acc-rtr-003', 'agg-rtr-002', 'fibre-002', 'core-rtr-001']);
    expect(await dependsOn('core-rtr-001')).toEqual([]);
  });

  it('should not follow containment (a cell is bundled in a gNB but relies on nothing)', async () => {
    expect(await dependsOn('cell-001-1')).toEqual([]);
  });

  it('should batch the walks of many resources level by level', async () => {
    const query = (first: number) => ok(sut, `{ resources(first: ${first}) { edges { node { id dependsOn { id } } } } }`);
    const few = await query(3);
    const all = await query(100);
    // list + count, then one batch per level at most (the deepest walk, slice-5g-001, has 5 levels)
    expect(few.dbCommands).toBeLessThanOrEqual(2 + 5);
    expect(all.dbCommands).toBeLessThanOrEqual(2 + 5);
  });
});

interface ImpactedCustomers extends Conn<IdNode> {
  edges: { cursor: string; node: IdNode; services: IdNode[] }[];
}
interface Impact {
  impactedServices: Conn<IdNode>;
  impactedCustomers: ImpactedCustomers;
}
const IMPACT = `query($id: ID!, $first: Int, $after: String) { resource(id: $id) {
  impactedServices(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  impactedCustomers(first: $first, after: $after) { totalCount edges { cursor node { id } services { id } } pageInfo { hasNextPage endCursor } } } }`;
const impact = async (id: string, first = 100, after?: string) => (await ok<{ resource: Impact }>(sut, IMPACT, { id, first, after })).data.resource;

const bulk = Array.from({ length: 30 }, (_, i) => 100 + i);

describe('Resource.impactedServices / impactedCustomers', () => {
  it('should follow a fibre cut down to the customers: fibre → aggregation → access → port → service → customer', async () => {
    const cut = await impact('fibre-001');
    // The DESIGNED svc-bulk-*-b, built on the impacted rfs-5g-001, deliver nothing yet: they cannot fail.
    expect(ids(cut.impactedServices)).toEqual(['rfs-5g-001', 'rfs-acc-002', 'svc-5g-001', 'svc-bb-001', 'svc-bb-002', ...bulk.map((n) => `svc-bulk-${n}-a`), 'svc-vpn-789']);
    expect(ids(cut.impactedCustomers)).toEqual(['CUST-001', 'CUST-002', ...bulk.map((n) => `CUST-${n}`), 'CUST-789']);
    const acme = cut.impactedCustomers.edges.find((e) => e.node.id === 'CUST-789')!;
    // svc-old-789 also records port-ar-001-01 but is terminated: it cannot fail
    expect(acme.services).toEqual([{ id: 'svc-5g-001' }, { id: 'svc-vpn-789' }]);
  });

  it('should include services built on impacted services', async () => {
    const port = await impact('port-ar-001-02');
    expect(ids(port.impactedServices)).toEqual(['rfs-acc-002', 'svc-bb-002', 'svc-vpn-789']);
    expect(ids(port.impactedCustomers)).toEqual(['CUST-002', 'CUST-789']);
    const core = await impact('cnf-upf-001');
    expect(ids(core.impactedServices)).toEqual(['rfs-5g-001', 'svc-5g-001']);
  });

  it('should not propagate along containment: a site impacts nothing that is only bundled in it', async () => {
    const site = await impact('site-001');
    expect(site.impactedServices.totalCount).toBe(0);
    expect(site.impactedCustomers).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('should survive cycles, count a dual-homed CPE under both fibres and leave out inactive services', async () => {
    const cut = await impact('fibre-002');
    // svc-bb-003 (CUST-002) on port-ar-003-01 is INACTIVE: not in service, so not hurt
    expect(ids(cut.impactedServices)).toEqual(['svc-bb-005', 'svc-mw-004', 'svc-vpn-789']);
    expect(ids(cut.impactedCustomers)).toEqual(['CUST-004', 'CUST-005', 'CUST-789']);
  });

  it('should return empty connections for an unknown resource id', async () => {
    const { data } = await ok<{ resource: unknown }>(sut, IMPACT, { id: 'nope' });
    expect(data.resource).toBeNull();
    const { data: entity } = await ok<{ _entities: Impact[] }>(sut, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Resource { id } } }`, { r: [{ __typename: 'Resource', id: 'nope' }] });
    expect(entity._entities).toEqual([null]);
  });

  it('should page through impacted customers and services with stable cursors', async () => {
    const all = await impact('fibre-001');
    const pages: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = (await impact('fibre-001', 10, after)).impactedCustomers;
      expect(page.totalCount).toBe(all.impactedCustomers.totalCount);
      pages.push(...ids(page));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toEqual(ids(all.impactedCustomers));
    const second = (await impact('fibre-001', 7, all.impactedServices.edges[6].cursor)).impactedServices;
    expect(ids(second)).toEqual(ids(all.impactedServices).slice(7, 14));
  });

  it('should reject malformed page arguments, naming them', async () => {
    expectBadUserInput(await sut.query(IMPACT, { id: 'fibre-001', first: -1 }), 'first');
    expectBadUserInput(await sut.query(IMPACT, { id: 'fibre-001', first: 1000 }), 'first');
    expectBadUserInput(await sut.query(IMPACT, { id: 'fibre-001', after: 'bogus' }), 'after');
  });
});

describe('impact cost', () => {
  it('should walk once per request: both connections, totals and edges share one walk of a query per level', async () => {
    // agg-rtr-002 is queried nowhere else, so no earlier request cached its impact. Resource levels:
    // {agg-rtr-002} → {acc-rtr-003, mw-001} → {port-ar-003-01, port-ar-009-01, mw-002, gNB-002} → {cpe-001} → none: 4 queries.
    // Services: on those resources, then built on those → none: 2 queries. Plus resource(id): 7 in all.
    const walkOnly = await ok(sut, `{ resource(id: "agg-rtr-002") { a: impactedServices { totalCount } b: impactedCustomers(first: 1) { totalCount } c: impactedCustomers(first: 3) { totalCount } } }`);
    expect(walkOnly.dbCommands).toBe(7);
  });

  it('should answer a repeated impact question from the cache, and see writes at once', async () => {
    const count = async () => ok<{ resource: Impact }>(sut, `{ resource(id: "acc-rtr-003") { impactedServices { totalCount } impactedCustomers { totalCount } } }`);
    const cold = await count();
    let warm = await count();
    // The cache serves once its change streams are open (right after the first request).
    for (let i = 0; i < 40 && warm.dbCommands !== 1; i++) warm = await count();
    expect(warm.dbCommands).toBe(1); // just resource(id)
    expect(warm.data).toEqual(cold.data);
    await sut.subgraph.conn.collection('services').insertOne({
      _id: 'svc-new-001' as never, name: 'New', category: 'CUSTOMER_FACING', state: 'ACTIVE', customerId: 'CUST-NEW', supportingResourceIds: ['port-ar-003-01'], supportingServiceIds: [],
    });
    let after = await count();
    for (let i = 0; i < 40 && after.data.resource.impactedCustomers.totalCount === cold.data.resource.impactedCustomers.totalCount; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      after = await count();
    }
    expect(after.data.resource.impactedServices.totalCount).toBe(cold.data.resource.impactedServices.totalCount + 1);
    expect(after.data.resource.impactedCustomers.totalCount).toBe(cold.data.resource.impactedCustomers.totalCount + 1);
    await sut.subgraph.conn.collection('services').deleteOne({ _id: 'svc-new-001' as never });
  });
});

describe('downstreamClosure (for alarm correlation)', () => {
  it('should return each root first, then its dependents nearest first; with followBundled also what it contains', async () => {
    const models = createModels(sut.subgraph.conn.useDb(databaseName('inventory'), { useCache: false }));
    const plain = await downstreamClosure(models, ['site-001', 'acc-rtr-002', 'nope']);
    expect([...plain]).toEqual([['site-001', ['site-001']], ['acc-rtr-002', ['acc-rtr-002', 'port-ar-002-01', 'gNB-001', 'slice-5g-001']], ['nope', ['nope']]]);
    const lone = await downstreamClosure(models, ['acc-rtr-002']);
    expect(lone.get('acc-rtr-002')).toEqual(plain.get('acc-rtr-002'));
    const contained = await downstreamClosure(models, ['site-001'], { followBundled: true });
    expect(contained.get('site-001')).toEqual(['site-001', 'gNB-001', 'cell-001-1', 'slice-5g-001']);
  });
});

describe('impact against a brute-force oracle', () => {
  it('should match the fixpoint over the world data for every resource of the hand-written network', async () => {
    await expectImpactToMatchBruteForce(sut, fixtureWorld);
  });
});
