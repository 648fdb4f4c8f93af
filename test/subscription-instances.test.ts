import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { watch, wsClient } from '../gateway/test/helpers/ws-client.js';
import { startSubgraph, type RunningSubgraph } from '../kit/subgraph.js';
import { graphqlRequest, testConfig } from '../kit/testing.js';
import type { AppConfig, SubgraphName } from '../kit/config.js';
import { generateWorld } from '../seed/generate.js';
import { subgraph as order } from '../subgraphs/order/index.js';
import { submitOrder, TERMINAL, WATCH_ORDER, watchUntilSettled } from './helpers/activation.js';
import { startStackUnderTest, type StackUnderTest } from './helpers/stack.js';

/**
 * A deployment may serve a subgraph's subscriptions from instances of their own
 * (ORDER_SUBSCRIPTION_URL): the gateway opens its subscriptions there, while queries and
 * mutations keep going to ORDER_URL — live events never queue behind a burst of submissions.
 */
const world = generateWorld('small');
let app: StackUnderTest;
let live: RunningSubgraph;
let gateway: RunningGateway;
let client: Client;

/** The test config, with the order subgraph's subscriptions opened at `subscriptionUrl`. */
function withOrderSubscriptionsAt(urls: Record<SubgraphName, string>, subscriptionUrl: string): AppConfig {
  const config = testConfig();
  return { ...config, subgraphs: { ...config.subgraphs, order: { port: 0, url: urls.order, subscriptionUrl } } };
}

const urlsOf = (stack: StackUnderTest) => Object.fromEntries(Object.values(stack.stack.subgraphs).map((s) => [s.name, s.url])) as Record<SubgraphName, string>;

beforeAll(async () => {
  app = await startStackUnderTest(world);
  // An API-only order instance on the same database: it serves the subscriptions, nothing else.
  live = await startSubgraph(order, testConfig({ backgroundWork: false }), app.stack.mongoUri, 0, { log: () => {} });
  gateway = await startGateway(withOrderSubscriptionsAt(urlsOf(app), live.url), { port: 0, urls: urlsOf(app) });
  client = wsClient(gateway.url);
});
afterAll(async () => {
  await client?.dispose();
  await gateway?.stop();
  await live?.stop();
  await app?.stop();
});

describe('subscriptions served by instances of their own', () => {
  it('should stream an order to ACTIVE through the subscription instance, expanded across subgraphs', async () => {
    const id = await submitOrder({ ...app, gatewayUrl: gateway.url, query: (q, v) => graphqlRequest(gateway.url, q, v) }, 'own-instance-1');
    const { w, list } = await watchUntilSettled(client, id);
    w.unsubscribe();
    expect(list[0].state).toBe('ACKNOWLEDGED');
    expect(list.map((c) => c.state).filter((s) => TERMINAL.includes(s))).toEqual(['COMPLETED']);
    expect(list.at(-1)?.productOrder.items[0].service?.state).toBe('ACTIVE');
  });

  it('should open subscriptions only at the subscription URL, queries still going to the API instance', async () => {
    const nowhere = await startGateway(withOrderSubscriptionsAt(urlsOf(app), 'http://127.0.0.1:1/graphql'), { port: 0, urls: urlsOf(app) });
    const elsewhere = wsClient(nowhere.url);
    try {
      const queried = await graphqlRequest<{ productOrder: { id: string } | null }>(nowhere.url, '{ productOrder(id: "PO-1") { id } }');
      expect(queried.errors).toBeUndefined();
      const ending = await watch(elsewhere, { query: WATCH_ORDER, variables: { id: 'PO-1' } }).ended;
      expect(ending.kind).toBe('error');
      expect(JSON.stringify(ending)).toMatch(/subgraph 'order'.*SUBGRAPH_UNAVAILABLE/);
    } finally {
      await elsewhere.dispose();
      await nowhere.stop();
    }
  });
});
