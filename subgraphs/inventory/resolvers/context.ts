import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every inventory resolver receives. */
export type InventoryContext = SubgraphContext<Models, Loaders>;

/** A reference to an entity another subgraph owns; the gateway resolves the rest. */
export interface EntityStub {
  __typename: 'Customer' | 'ProductOffering';
  id: string;
}

/** The reference to a customer, for the gateway to resolve in the customer subgraph. */
export const customerStub = (id: string): EntityStub => ({ __typename: 'Customer', id });
