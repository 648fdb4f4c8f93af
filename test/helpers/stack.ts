import type { Client } from 'graphql-ws';
import { wsClient } from '../../gateway/test/helpers/ws-client.js';
import { startStack, type RunningStack } from '../../kit/stack.js';
import { useStarted } from '../../kit/test-suite.js';
import { graphqlRequest, testConfig, type GraphQLResult } from '../../kit/testing.js';
import type { AppConfig } from '../../kit/config.js';
import type { World } from '../../seed/world.js';

export interface StackUnderTest {
  stack: RunningStack;
  gatewayUrl: string;
  /** A GraphQL operation through the gateway, over real HTTP. */
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

/**
 * The real product for one test file: embedded MongoDB (or MONGODB_URI), the world seeded
 * through each subgraph, six subgraphs and the gateway on free ports.
 */
export async function startStackUnderTest(world: World, config: Partial<AppConfig> = {}): Promise<StackUnderTest> {
  const stack = await startStack({ config: testConfig(config), freePorts: true, seed: world.scale, world });
  return {
    stack,
    gatewayUrl: stack.gateway.url,
    query: (q, v) => graphqlRequest(stack.gateway.url, q, v),
    stop: () => stack.stop(),
  };
}

/** The real product for the calling test file (see `startStackUnderTest` and `useStarted`). */
export function useStack(world: World, config: Partial<AppConfig> = {}): StackUnderTest {
  return useStarted(() => startStackUnderTest(world, config));
}

export interface StackWithClient extends StackUnderTest {
  /** A portal's graphql-ws connection to the gateway, for subscriptions. */
  client: Client;
}

/** The real product and one graphql-ws client of its gateway for the calling test file; the client is disposed before the stack stops. */
export function useStackWithClient(world: World, config: Partial<AppConfig> = {}): StackWithClient {
  return useStarted(async () => {
    const sut = await startStackUnderTest(world, config);
    const client = wsClient(sut.gatewayUrl);
    return {
      ...sut,
      client,
      async stop() {
        await client.dispose();
        await sut.stop();
      },
    };
  });
}
