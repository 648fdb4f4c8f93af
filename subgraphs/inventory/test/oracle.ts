import { expect } from 'vitest';
import type { SubgraphUnderTest } from '../../../kit/testing.js';
import type { World } from '../../../seed/world.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';
import { ids, ok, type Conn, type IdNode } from './helpers.js';

interface CustomerEdges extends Conn<IdNode> {
  edges: { cursor: string; node: IdNode; services: IdNode[] }[];
}
interface WithImpact {
  id: string;
  impactedServices: Conn<IdNode>;
  impactedCustomers: CustomerEdges;
}

const IMPACT_FIELDS = `impactedServices(first: $first, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  impactedCustomers(first: $first, after: $after) { totalCount edges { cursor node { id } services { id } } pageInfo { hasNextPage endCursor } }`;
const PAGE_OF_RESOURCES = `query($page: String, $first: Int = 100, $after: String) {
  resources(first: 100, after: $page) { edges { node { id ${IMPACT_FIELDS} } } pageInfo { hasNextPage endCursor } } }`;
const ONE_RESOURCE = `query($id: ID!, $first: Int = 100, $after: String) { resource(id: $id) { id ${IMPACT_FIELDS} } }`;

/** Every page of one resource's impact (the first page is already at hand). */
async function wholeImpact(sut: SubgraphUnderTest, first: WithImpact): Promise<{ services: string[]; customers: CustomerEdges['edges'] }> {
  const services = ids(first.impactedServices);
  const customers = [...first.impactedCustomers.edges];
  let page = first;
  while (page.impactedServices.pageInfo.hasNextPage || page.impactedCustomers.pageInfo.hasNextPage) {
    // Both connections are 100 per page, so one `after` serves the longer one; the shorter is past its end.
    const after = page.impactedServices.pageInfo.hasNextPage ? page.impactedServices.pageInfo.endCursor : page.impactedCustomers.pageInfo.endCursor;
    page = (await ok<{ resource: WithImpact }>(sut, ONE_RESOURCE, { id: first.id, after })).data.resource;
    if (page.impactedServices.edges.length) services.push(...ids(page.impactedServices));
    customers.push(...page.impactedCustomers.edges);
  }
  return { services, customers };
}

/**
 * Checks every resource's impact, as the subgraph serves it page by page, against the brute
 * force fixpoint over the world data; returns the database commands of each page of 100.
 */
export async function expectImpactToMatchBruteForce(sut: SubgraphUnderTest, world: World): Promise<number[]> {
  const servicesOf = new Map(world.services.map((s) => [s.id, s]));
  const commandsPerPage: number[] = [];
  let checked = 0;
  let pageCursor: string | null = null;
  do {
    const page: { data: { resources: Conn<WithImpact> }; dbCommands: number } = await ok(sut, PAGE_OF_RESOURCES, { page: pageCursor });
    commandsPerPage.push(page.dbCommands);
    for (const { node } of page.data.resources.edges) {
      const expected = bruteForceImpact(world, node.id);
      expect(node.impactedServices.totalCount, node.id).toBe(expected.serviceIds.length);
      expect(node.impactedCustomers.totalCount, node.id).toBe(expected.customerIds.length);
      const actual = await wholeImpact(sut, node);
      expect(actual.services, node.id).toEqual(expected.serviceIds);
      expect(actual.customers.map((e) => e.node.id), node.id).toEqual(expected.customerIds);
      for (const edge of actual.customers) {
        const theirs = expected.serviceIds.filter((id) => servicesOf.get(id)!.customerId === edge.node.id);
        expect(edge.services.map((s) => s.id), `${node.id} ${edge.node.id}`).toEqual(theirs);
      }
      checked += 1;
    }
    pageCursor = page.data.resources.pageInfo.hasNextPage ? page.data.resources.pageInfo.endCursor : null;
  } while (pageCursor);
  expect(checked).toBe(world.resources.length);
  return commandsPerPage;
}
