import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import type { GraphQLResult } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { fixtureWorld } from './fixture.js';
import { expectBadUserInput } from './helpers.js';

/** `resourceTopology` (@inaccessible): the edges assurance replicates, page by page in id order or for given ids. */
const sut = useSubgraphUnderTest(subgraph, fixtureWorld);

interface Page { resourceTopology: { nodes: { id: string; category: string; reliesOn: string[]; bundledIn: string | null }[]; endCursor: string | null; hasNextPage: boolean } }
const QUERY = `query ($ids: [ID!], $first: Int, $after: String) { resourceTopology(ids: $ids, first: $first, after: $after) {
  nodes { id category reliesOn bundledIn } endCursor hasNextPage } }`;

const sortedIds = fixtureWorld.resources.map((r) => r.id).sort();

describe('resourceTopology', () => {
  it('should page through every resource in id order without gaps or overlaps, each with its upward edges', async () => {
    const seen: Page['resourceTopology']['nodes'] = [];
    let after: string | null = null;
    for (let pages = 0; ; pages++) {
      const res: GraphQLResult<Page> = await sut.query<Page>(QUERY, { first: 7, after });
      expect(res.errors).toBeUndefined();
      const page: Page['resourceTopology'] = res.data!.resourceTopology;
      seen.push(...page.nodes);
      if (!page.hasNextPage) break;
      after = page.endCursor;
      expect(pages).toBeLessThan(100);
    }
    expect(seen.map((n) => n.id)).toEqual(sortedIds);
    const gnb = seen.find((n) => n.id === 'gNB-001')!;
    expect(gnb).toEqual({ id: 'gNB-001', category: 'GNB', reliesOn: ['port-ar-002-01'], bundledIn: 'site-001' });
  });

  it('should answer only the given resources, leaving unknown ids out', async () => {
    const res = await sut.query<Page>(QUERY, { ids: ['fibre-001', 'nope', 'cell-001-1'] });
    expect(res.data!.resourceTopology.nodes.map((n) => [n.id, n.bundledIn, n.reliesOn])).toEqual([['cell-001-1', 'gNB-001', []], ['fibre-001', null, ['core-rtr-001']]]);
    expect(res.data!.resourceTopology.hasNextPage).toBe(false);
  });

  it('should refuse a page size out of bounds', async () => {
    expectBadUserInput(await sut.query(QUERY, { first: 10_001 }), 'first');
    expectBadUserInput(await sut.query(QUERY, { first: -1 }), 'first');
  });

  it('should be hidden from the supergraph', async () => {
    const { readFileSync } = await import('node:fs');
    const supergraph = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
    expect(supergraph).toMatch(/resourceTopology\([\s\S]*?\): ResourceTopologyPage! @inaccessible/);
  });
});
