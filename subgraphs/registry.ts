import type { SubgraphName } from '../kit/config.js';
import type { SubgraphModule } from '../kit/subgraph.js';
import { subgraph as assurance } from './assurance/index.js';
import { subgraph as billing } from './billing/index.js';
import { subgraph as catalog } from './catalog/index.js';
import { subgraph as customer } from './customer/index.js';
import { subgraph as inventory } from './inventory/index.js';
import { subgraph as order } from './order/index.js';

/** The six subgraphs in port order; the runner, the seed and the tests start them from here. */
export const SUBGRAPHS = [customer, catalog, order, billing, inventory, assurance] as SubgraphModule[];

export function subgraphByName(name: string): SubgraphModule {
  const found = SUBGRAPHS.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph '${name}': choose one of ${SUBGRAPHS.map((s) => s.name).join(', ')}`);
  return found;
}

export type { SubgraphName };
