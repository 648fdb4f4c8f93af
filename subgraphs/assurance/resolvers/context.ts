import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every assurance resolver receives. */
export type Context = SubgraphContext<Models, Loaders>;
