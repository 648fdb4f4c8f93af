import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

/** One resource as the replica keeps it: its kind and what is directly above it. */
export interface TopologyNode {
  id: string;
  category: string;
  reliesOn: string[];
  bundledIn: string | null;
}

/** Where a replica reads the topology from; the inventory API in production, anything in tests. */
export interface TopologySource {
  /** Every resource (all pages). */
  all(): Promise<TopologyNode[]>;
  /** The given resources; unknown ids are left out. */
  some(ids: string[]): Promise<TopologyNode[]>;
}

interface TopologyPage {
  resourceTopology: { nodes: TopologyNode[]; endCursor: string | null; hasNextPage: boolean };
}

const TOPOLOGY = `query ($ids: [ID!], $first: Int, $after: String) {
  resourceTopology(ids: $ids, first: $first, after: $after) { nodes { id category reliesOn bundledIn } endCursor hasNextPage } }`;

/** The inventory's largest page: the large world (~9,000 resources) comes in one or two calls. */
const PAGE = 10_000;

/**
 * The topology through inventory's `@inaccessible` `resourceTopology` query — assurance never
 * reads inventory's database. `config` is read per call (its URLs are filled in late when the
 * stack runs on free ports). An unreachable inventory throws SUBGRAPH_UNAVAILABLE.
 */
export function inventoryTopologySource(config: AppConfig): TopologySource {
  async function pages(ids: string[] | null): Promise<TopologyNode[]> {
    const nodes: TopologyNode[] = [];
    let after: string | null = null;
    for (;;) {
      const page: TopologyPage = await querySubgraph<TopologyPage>(config, 'inventory', TOPOLOGY, { ids, first: PAGE, after });
      nodes.push(...page.resourceTopology.nodes);
      if (!page.resourceTopology.hasNextPage) return nodes;
      after = page.resourceTopology.endCursor;
    }
  }
  return { all: () => pages(null), some: (ids) => pages(ids) };
}
