import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { representations } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { fixtureWorld } from './fixture.js';
import { ok } from './helpers.js';

const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) {
  ... on Service { id state customer { id } }
  ... on Resource { id category href }
  ... on Customer { id services { id state activatedAt productOffering { id } supportingResources { id category } supportingServices { id } } } } }`;

type Entity = Record<string, unknown> | null;
const entities = async (representations: object[]) => ok<{ _entities: Entity[] }>(sut, ENTITIES, { r: representations });

describe('Service and Resource references', () => {
  it('should resolve services and resources by key, in representation order, null for unknown keys', async () => {
    const { data } = await entities([...representations('Resource', ['cpe-001', 'nope']), ...representations('Service', ['svc-bb-002', 'svc-nope'])]);
    expect(data._entities).toEqual([
      { id: 'cpe-001', category: 'CPE', href: '/resource/cpe-001' },
      null,
      { id: 'svc-bb-002', state: 'ACTIVE', customer: { id: 'CUST-002' } },
      null,
    ]);
  });

  it('should resolve many references with one command per entity type', async () => {
    const resources = fixtureWorld.resources.map((r) => r.id);
    const services = fixtureWorld.services.map((s) => s.id);
    const { data, dbCommands } = await entities([...representations('Resource', resources), ...representations('Service', services)]);
    expect(data._entities.every((e) => e !== null)).toBe(true);
    expect(dbCommands).toBe(2);
  });
});

describe('Customer.services', () => {
  it("should list a customer's services in any state, oldest first (by order date, not id)", async () => {
    const { data } = await entities(representations('Customer', ['CUST-789']));
    const customer = data._entities[0] as { id: string; services: { id: string; state: string; supportingResources: unknown; supportingServices: unknown }[] };
    expect(customer.services.map((s) => [s.id, s.state])).toEqual([['svc-old-789', 'TERMINATED'], ['svc-vpn-789', 'ACTIVE'], ['svc-5g-001', 'ACTIVE']]);
    expect(customer.services[2].supportingResources).toEqual([{ id: 'slice-5g-001', category: 'NETWORK_SLICE' }, { id: 'gNB-001', category: 'GNB' }]);
    expect(customer.services[2].supportingServices).toEqual([{ id: 'rfs-5g-001' }]);
  });

  it('should return an empty list for a customer without services (or unknown to inventory)', async () => {
    const { data } = await entities(representations('Customer', ['CUST-unknown']));
    expect(data._entities).toEqual([{ id: 'CUST-unknown', services: [] }]);
  });

  it('should cost the same few commands for 3 customers as for 30 (no N+1)', async () => {
    const bulk = Array.from({ length: 30 }, (_, i) => `CUST-${100 + i}`);
    const few = await entities(representations('Customer', bulk.slice(0, 3)));
    const many = await entities(representations('Customer', bulk));
    const services = (r: typeof many) => r.data._entities.flatMap((e) => (e as { services: unknown[] }).services);
    expect(services(few)).toHaveLength(5);
    expect(services(many)).toHaveLength(45);
    // services by customer, then their supporting resources and supporting services: one batch each
    expect(few.dbCommands).toBe(3);
    expect(many.dbCommands).toBe(few.dbCommands);
  });
});
