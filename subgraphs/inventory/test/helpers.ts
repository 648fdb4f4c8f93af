import { expect } from 'vitest';
import type { GraphQLResult, SubgraphUnderTest } from '../../../kit/testing.js';

/** Shapes of the connections the tests read. */
export interface Conn<N> {
  totalCount: number;
  edges: { cursor: string; node: N }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
export interface IdNode {
  id: string;
}

/** Runs a query that must succeed; returns its data and the database commands it cost. */
export async function ok<T>(sut: SubgraphUnderTest, query: string, variables?: Record<string, unknown>): Promise<{ data: T; dbCommands: number }> {
  const res = await sut.query<T>(query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return { data: res.data as T, dbCommands: res.extensions?.dbCommands as number };
}

/** Expects a BAD_USER_INPUT error that names `argument`. */
export function expectBadUserInput(res: GraphQLResult, argument: string): void {
  expect(res.errors?.length, JSON.stringify(res)).toBeGreaterThan(0);
  const error = res.errors![0];
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  expect(error.extensions?.argumentName).toBe(argument);
  expect(error.message).toContain(argument);
}

/** Expects the operation to be rejected before execution (e.g. an unknown enum value). */
export function expectValidationError(res: GraphQLResult): void {
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
}

export const ids = <N extends IdNode>(conn: Conn<N>) => conn.edges.map((e) => e.node.id);
