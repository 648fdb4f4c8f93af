import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every customer resolver receives. */
export type CustomerContext = SubgraphContext<Models, Loaders>;
