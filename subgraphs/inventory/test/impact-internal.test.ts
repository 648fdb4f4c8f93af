import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { generateWorld } from '../../../seed/generate.js';
import type { World } from '../../../seed/world.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';
import { subgraph } from '../index.js';
import { expectBadUserInput, ok } from './helpers.js';

const world = generateWorld('small');
const sut = useSubgraphUnderTest(subgraph, world);

interface SetImpact {
  serviceCount: number;
  customerCount: number;
  serviceIds: string[];
  customers: { customerId: string; serviceIds: string[] }[];
  allCustomerIds: string[];
}

const SET_IMPACT = `query ($ids: [ID!]!, $offset: Int, $limit: Int!) { resourceSetImpact(resourceIds: $ids) {
  serviceCount customerCount serviceIds(offset: $offset, limit: $limit) customers(offset: $offset, limit: $limit) { customerId serviceIds } allCustomerIds } }`;

/** The union of the brute-force impacts of `ids`: services and customers ascending, each once. */
function bruteForceUnion(w: World, ids: string[]) {
  const services = new Set<string>();
  const customers = new Set<string>();
  for (const id of ids) {
    const impact = bruteForceImpact(w, id);
    impact.serviceIds.forEach((s) => services.add(s));
    impact.customerIds.forEach((c) => customers.add(c));
  }
  return { serviceIds: [...services].sort(), customerIds: [...customers].sort() };
}

const setImpact = async (ids: string[], offset = 0, limit = 10_000) =>
  (await ok<{ resourceSetImpact: SetImpact }>(sut, SET_IMPACT, { ids, offset, limit })).data.resourceSetImpact;

const big = world.landmarks.bigFibreLinkId;
const below = (id: string) => [...bruteForceImpact(world, id).resourceIds].filter((r) => r !== id);
const byCategory = (category: string) => world.resources.filter((r) => r.category === category).map((r) => r.id);

describe('resourceSetImpact (internal)', () => {
  it('should equal the brute-force union for a root cause and resources below it, with and without resources outside', async () => {
    const inside = below(big).slice(0, 200);
    // Cells are bundled in gNBs without relying on them: inside a gNB's alarm group, outside its impact closure.
    const gnb = byCategory('GNB')[0];
    const cells = world.resources.filter((r) => r.bundledIn === gnb).map((r) => r.id);
    const sets = [[big, ...inside], [big, ...inside, ...cells, gnb, 'cnf-smf-001'], [gnb, ...cells], [...byCategory('ONT').slice(0, 30)], [big]];
    for (const ids of sets) {
      const expected = bruteForceUnion(world, ids);
      const got = await setImpact(ids);
      expect(got.serviceIds, ids.join()).toEqual(expected.serviceIds);
      expect(got.allCustomerIds, ids.join()).toEqual(expected.customerIds);
      expect(got.serviceCount).toBe(expected.serviceIds.length);
      expect(got.customerCount).toBe(expected.customerIds.length);
      for (const c of got.customers) for (const s of c.serviceIds) expect(world.services.find((w) => w.id === s)!.customerId).toBe(c.customerId);
    }
  });

  it('should cut windows of services and customers from the same ordered lists', async () => {
    const ids = [big, byCategory('GNB')[1]];
    const all = await setImpact(ids);
    expect(all.customerCount).toBeGreaterThan(12);
    const window = await setImpact(ids, 5, 7);
    expect(window.serviceIds).toEqual(all.serviceIds.slice(5, 12));
    expect(window.customers).toEqual(all.customers.slice(5, 12));
    expect(window.customerCount).toBe(all.customerCount);
    expect((await setImpact(ids, all.customerCount, 5)).customers).toEqual([]);
  });

  it('should count nothing for no resources and for unknown ones, and ignore repeats', async () => {
    expect(await setImpact([])).toEqual({ serviceCount: 0, customerCount: 0, serviceIds: [], customers: [], allCustomerIds: [] });
    expect((await setImpact(['NO-SUCH-RESOURCE'])).serviceCount).toBe(0);
    expect(await setImpact([big, big, 'NO-SUCH-RESOURCE'])).toEqual(await setImpact([big]));
  });

  it('should answer a set remembered under a key by that key alone, and null for a key it does not know', async () => {
    const ids = [big, ...below(big).slice(0, 50), byCategory('ONT')[0]];
    const BY_NAME = `query ($key: String!) { rememberedResourceSetImpact(setKey: $key) { serviceCount customerCount customerSetKey allCustomerIds } }`;
    expect((await ok<{ rememberedResourceSetImpact: null }>(sut, BY_NAME, { key: 'never-sent' })).data.rememberedResourceSetImpact).toBeNull();
    const REMEMBER = `query ($ids: [ID!]!, $key: String) { resourceSetImpact(resourceIds: $ids, rememberAs: $key) { serviceCount customerCount customerSetKey allCustomerIds } }`;
    const sent = (await ok<{ resourceSetImpact: unknown }>(sut, REMEMBER, { ids, key: 'group-1' })).data.resourceSetImpact;
    expect((await ok<{ rememberedResourceSetImpact: unknown }>(sut, BY_NAME, { key: 'group-1' })).data.rememberedResourceSetImpact).toEqual(sent);
    expect(sent).toMatchObject({ allCustomerIds: bruteForceUnion(world, ids).customerIds });
  });

  it('should name equal customer sets with equal keys and different ones differently', async () => {
    const KEY = `query ($ids: [ID!]!) { resourceSetImpact(resourceIds: $ids) { customerSetKey } }`;
    const keyOf = async (ids: string[]) => (await ok<{ resourceSetImpact: { customerSetKey: string } }>(sut, KEY, { ids })).data.resourceSetImpact.customerSetKey;
    // A set of resources below the fibre hurts the fibre's customers, no more.
    expect(await keyOf([big, below(big)[0]])).toBe(await keyOf([big]));
    expect(await keyOf([big, byCategory('ONT').find((o) => !bruteForceImpact(world, big).resourceIds.has(o) && bruteForceImpact(world, o).customerIds.length)!])).not.toBe(await keyOf([big]));
  });

  it('should reject a negative window naming the argument', async () => {
    expectBadUserInput(await sut.query(SET_IMPACT, { ids: [big], offset: -1, limit: 5 }), 'offset');
    expectBadUserInput(await sut.query(SET_IMPACT, { ids: [big], offset: 0, limit: -5 }), 'limit');
  });
});

interface Footprint {
  serviceId: string;
  customerId: string | null;
  state: string;
  resourceIds: string[];
}

/** Supporting resources of a world service and of the services it is built on, transitively. */
function worldFootprint(serviceId: string, seen = new Set<string>()): Set<string> {
  const s = world.services.find((w) => w.id === serviceId)!;
  const out = new Set(s.supportingResourceIds);
  seen.add(serviceId);
  for (const sub of s.supportingServiceIds) if (!seen.has(sub)) worldFootprint(sub, seen).forEach((r) => out.add(r));
  return out;
}

describe('service and customer footprints (internal)', () => {
  it('should give a service its resources and those of the services it is built on, leaving out unknown ids', async () => {
    // A service whose supporting services stand on resources it does not name itself.
    const builtOn = world.services.find((s) => s.id !== world.landmarks.exampleServiceId && worldFootprint(s.id).size > new Set(s.supportingResourceIds).size)!;
    const asked = [world.landmarks.exampleServiceId, builtOn.id, 'no-such-service'];
    const { data } = await ok<{ serviceFootprints: Footprint[] }>(sut, `query ($ids: [ID!]!) { serviceFootprints(serviceIds: $ids) { serviceId customerId state resourceIds } }`, { ids: asked });
    expect(data.serviceFootprints.map((f) => f.serviceId)).toEqual(asked.slice(0, 2));
    for (const f of data.serviceFootprints) expect(new Set(f.resourceIds), f.serviceId).toEqual(worldFootprint(f.serviceId));
    expect(data.serviceFootprints[0].resourceIds).toEqual(expect.arrayContaining(['gNB-001']));
    expect(data.serviceFootprints[1].resourceIds.length).toBeGreaterThan(new Set(builtOn.supportingResourceIds).size);
  });

  it("should give only a customer's ACTIVE services, customer by customer", async () => {
    const withInactive = world.customers.find((c) => world.services.some((s) => s.customerId === c.id && s.state !== 'ACTIVE'))!;
    const asked = [world.landmarks.exampleCustomerId, withInactive.id, 'NO-SUCH-CUSTOMER'];
    const { data } = await ok<{ customerFootprints: Footprint[] }>(sut, `query ($ids: [ID!]!) { customerFootprints(customerIds: $ids) { serviceId customerId state resourceIds } }`, { ids: asked });
    const expected = asked.flatMap((c) => world.services.filter((s) => s.customerId === c && s.state === 'ACTIVE').map((s) => s.id));
    expect(new Set(data.customerFootprints.map((f) => f.serviceId))).toEqual(new Set(expected));
    expect(data.customerFootprints.map((f) => f.customerId)).toEqual([...data.customerFootprints.map((f) => f.customerId)].sort((a, b) => asked.indexOf(a!) - asked.indexOf(b!)));
    for (const f of data.customerFootprints) {
      expect(f.state).toBe('ACTIVE');
      expect(new Set(f.resourceIds), f.serviceId).toEqual(worldFootprint(f.serviceId));
    }
  });
});
