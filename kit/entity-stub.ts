/**
 * A reference to an entity another subgraph owns: its key is all this subgraph knows, and the
 * gateway fetches the entity's other fields from the owner.
 */
export interface EntityStub<T extends string> {
  __typename: T;
  id: string;
}

/** The stub for a required relation. */
export function stub<T extends string>(typename: T, id: string): EntityStub<T> {
  return { __typename: typename, id };
}

/** The stub for `id`, or null when there is no id (an optional relation, or one not set yet). */
export function stubOrNull<T extends string>(typename: T, id: string | null | undefined): EntityStub<T> | null {
  return id ? { __typename: typename, id } : null;
}
