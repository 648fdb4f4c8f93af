import { stub, type EntityStub } from '../../../kit/entity-stub.js';
import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every inventory resolver receives. */
export type InventoryContext = SubgraphContext<Models, Loaders>;

/** The reference to a customer, for the gateway to resolve in the customer subgraph. */
export const customerStub = (id: string): EntityStub<'Customer'> => stub('Customer', id);
