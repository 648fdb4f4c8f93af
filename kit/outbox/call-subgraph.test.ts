import { describe, expect, it } from 'vitest';
import { subgraph as orderModule } from '../../subgraphs/order/index.js';
import type { AppConfig } from '../config.js';
import { callSubgraph } from '../remote.js';
import { useSubgraphUnderTest } from '../test-suite.js';
import { partialWorld, testConfig } from '../testing.js';

/**
 * `callSubgraph` (kit/remote.ts), the call sagas and outbox reactions make: GraphQL answers come
 * back as they are, errors with their codes; only transport failures throw. Against a real
 * subgraph over HTTP.
 */
const sut = useSubgraphUnderTest({ ...orderModule, background: undefined }, partialWorld({}));

function configFor(url: string): AppConfig {
  const config = testConfig({ subgraphTimeoutMs: 2000 });
  config.subgraphs.order = { port: Number(new URL(url).port), url };
  return config;
}

describe('callSubgraph', () => {
  it('should return the data of an answer without errors', async () => {
    const res = await callSubgraph<{ __typename: string }>(configFor(sut.url), 'order', '{ __typename }');
    expect(res).toEqual({ data: { __typename: 'Query' }, errors: [] });
  });

  it('should return GraphQL errors with their codes instead of throwing', async () => {
    const res = await callSubgraph(configFor(sut.url), 'order', '{ noSuchField }');
    expect(res.data).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors[0]).toMatchObject({ message: expect.stringContaining('noSuchField'), code: 'GRAPHQL_VALIDATION_FAILED', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
  });

  it('should throw SUBGRAPH_UNAVAILABLE naming the subgraph when nothing answers', async () => {
    const down = configFor('http://127.0.0.1:1/graphql');
    await expect(callSubgraph(down, 'order', '{ __typename }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'order' } });
  });

  it('should throw SUBGRAPH_UNAVAILABLE when the answer is not a GraphQL response', async () => {
    const health = configFor(sut.url.replace('/graphql', '/health'));
    await expect(callSubgraph(health, 'order', '{ __typename }')).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  });
});
