import { createServer, Socket as NetSocket, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../gateway/gateway.js';
import { graphqlRequest, testConfig } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import { useStack } from './helpers/stack.js';

/** A real TCP relay to a real subgraph that holds every byte for `delayMs` (a slow network). */
async function slowRelay(targetUrl: string, delayMs: number): Promise<{ url: string; server: Server }> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = new NetSocket();
    sockets.add(client).add(upstream);
    upstream.connect(Number(target.port), target.hostname);
    client.on('data', (d) => setTimeout(() => upstream.write(d), delayMs));
    upstream.on('data', (d) => client.write(d));
    const end = () => (client.destroy(), upstream.destroy());
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  return { url: `http://127.0.0.1:${port}${target.pathname}`, server };
}

const QUERY = `{ customer(id: "CUST-789") { id name billingAccount { id balance { amount } } } }`;
const world = generateWorld('small');
const app = useStack(world);

type Result = { customer: { id: string; name: string; billingAccount: unknown } | null };

describe('degraded subgraphs', () => {
  it('should answer with the data it has plus an error naming a slow subgraph', async () => {
    const relay = await slowRelay(app.stack.subgraphs.billing.url, 2000);
    const urls = Object.fromEntries(Object.values(app.stack.subgraphs).map((s) => [s.name, s.url]));
    const gateway: RunningGateway = await startGateway(testConfig({ subgraphTimeoutMs: 300 }), { port: 0, urls: { ...urls, billing: relay.url } });
    try {
      const started = Date.now();
      const res = await graphqlRequest<Result>(gateway.url, QUERY);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(res.status).toBe(200);
      expect(res.data!.customer).toMatchObject({ id: 'CUST-789', name: world.customers.find((c) => c.id === 'CUST-789')!.name, billingAccount: null });
      expect(res.errors?.map((e) => e.message).join(' ')).toContain('billing');
    } finally {
      await gateway.stop();
      relay.server.close();
    }
  });

  it('should answer with the data it has plus an error naming a subgraph that is down', async () => {
    await app.stack.subgraphs.billing.stop();
    const res = await app.query<Result>(QUERY);
    expect(res.status).toBe(200);
    expect(res.data!.customer).toMatchObject({ id: 'CUST-789', billingAccount: null });
    const error = res.errors!.find((e) => e.message.includes('billing'))!;
    expect(error).toBeDefined();
    expect(error.extensions?.code).toBe('SUBGRAPH_UNAVAILABLE');
  });
});
