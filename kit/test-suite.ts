/**
 * Test helpers that run inside a Vitest suite (they register hooks or assert). Kept apart from
 * `testing.ts`, which benchmarks also import outside Vitest.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { World } from '../seed/world.js';
import type { SubgraphModule } from './subgraph.js';
import { startSubgraphUnderTest, type GraphQLResult, type SubgraphUnderTest } from './testing.js';

/**
 * Starts something for the calling test file in `beforeAll` and stops it in `afterAll`.
 * Returns a stand-in that forwards to it once started, so a test file can hold it in a
 * top-level `const`; touching it before `beforeAll` has run throws.
 */
export function useStarted<T extends { stop(): Promise<void> }>(start: () => Promise<T>): T {
  let running: T | undefined;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(async () => {
    await running?.stop();
  });
  return new Proxy({} as T, {
    get(_target, property) {
      if (!running) throw new Error('started in beforeAll: use it inside tests and hooks');
      const value: unknown = Reflect.get(running, property);
      return typeof value === 'function' ? value.bind(running) : value;
    },
  });
}

/**
 * One real subgraph over a fresh database seeded with `world`, for the calling test file (see
 * `startSubgraphUnderTest` and `useStarted`). Pass a function to build the world in `beforeAll`
 * rather than at import.
 */
export function useSubgraphUnderTest(module: SubgraphModule, world: World | (() => World)): SubgraphUnderTest {
  return useStarted(() => startSubgraphUnderTest(module, typeof world === 'function' ? world() : world));
}

/** Expects exactly one error: BAD_USER_INPUT naming `argumentName` in its extensions and its message. */
export function expectBadUserInput(res: GraphQLResult, argumentName: string): void {
  expect(res.errors).toHaveLength(1);
  expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName });
  expect(res.errors![0].message).toContain(argumentName);
}
