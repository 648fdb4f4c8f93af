import { describe, expect, it } from 'vitest';
import type { AppConfig, SubgraphName } from '../../../kit/config.js';
import { startSubgraph, type RunningSubgraph } from '../../../kit/subgraph.js';
import { testConfig } from '../../../kit/testing.js';
import { useStarted } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { premium, productOrder, serviceOrderOf, settled, startActivationStack, submit, TEST_ACTIVATION } from './activation-fixture.js';

/**
 * API instances and worker instances of one subgraph (BACKGROUND_WORK): a deployment may keep
 * the instances that serve the graph free of orchestration and run the sagas and outbox
 * consumers in worker instances of the same subgraph on the same database.
 */
const app = useStarted(() => startActivationStack({}, { backgroundWork: false }));

/** The stack's subgraph URLs, as a worker started next to it must be configured. */
function workerConfig(): AppConfig {
  const config = testConfig({ activation: TEST_ACTIVATION, backgroundWork: true });
  for (const [name, running] of Object.entries(app.sut.stack.subgraphs) as [SubgraphName, RunningSubgraph][]) {
    config.subgraphs[name] = { port: Number(new URL(running.url).port), url: running.url };
  }
  return config;
}

describe('BACKGROUND_WORK=off API instances with a worker instance', () => {
  it('should take orders on the API instance and leave their orchestration to a worker instance', async () => {
    const id = await submit(app, 'api-only-1', [premium('100Mbps')]);
    // Three saga sweeps' worth of time: an API-only instance decomposes and runs nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await productOrder(app, id))?.state).toBe('ACKNOWLEDGED');
    expect(await serviceOrderOf(app, id)).toBeNull();

    const worker = await startSubgraph(subgraph, workerConfig(), app.sut.stack.mongoUri, 0, { log: () => {} });
    try {
      const { po, so } = await settled(app, id);
      expect(po.state).toBe('COMPLETED');
      expect(so.state).toBe('COMPLETED');
    } finally {
      await worker.stop();
    }
  });
});
