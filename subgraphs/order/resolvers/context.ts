import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';

/** What every order resolver receives. */
export type OrderContext = SubgraphContext<Models, Loaders>;

/** A reference to an entity another subgraph owns: the gateway fetches its other fields there. */
export interface EntityStub<T extends string> {
  __typename: T;
  id: string;
}

/** The stub for `id`, or null when there is no id (an optional relation not set yet). */
export function stubOrNull<T extends string>(typename: T, id: string | null | undefined): EntityStub<T> | null {
  return id ? { __typename: typename, id } : null;
}

/** The stub for a required relation. */
export function stub<T extends string>(typename: T, id: string): EntityStub<T> {
  return { __typename: typename, id };
}
