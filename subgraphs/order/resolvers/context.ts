import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every order resolver receives. */
export type OrderContext = SubgraphContext<Models, Loaders>;
