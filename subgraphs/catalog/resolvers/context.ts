import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every catalog resolver receives. */
export type CatalogContext = SubgraphContext<Models, Loaders>;
