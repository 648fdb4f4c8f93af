import { afterAll, describe, expect, it } from 'vitest';
import { startSubgraph, type RunningSubgraph } from '../../../kit/subgraph.js';
import { graphqlRequest, testConfig } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { useStack } from '../../../test/helpers/stack.js';
import { subgraph as customerSubgraph } from '../../customer/index.js';
import { SLA_SWEEP_MS } from '../sla/background.js';

/**
 * SLA evaluation needs the customer subgraph (the tier); ingestion does not. With the customer
 * subgraph down, measurements are still stored, the evaluation waits in the database, and the
 * background sweep finishes it once the customer subgraph is back.
 */
const world = generateWorld('small');
const app = useStack(world);
let restarted: RunningSubgraph | undefined;
afterAll(async () => {
  await restarted?.stop();
});

const customerOf = new Map(world.customers.map((c) => [c.id, c]));
const service = world.services.find((s) => s.state === 'ACTIVE' && s.supportingResourceIds.length && ['GOLD', 'SILVER', 'PLATINUM'].includes(customerOf.get(s.customerId ?? '')?.slaTier ?? '') && customerOf.get(s.customerId!)!.segment === 'ENTERPRISE')!;
const T0 = Date.parse('2026-11-04T12:00:00.000Z');

const assurance = <T>(query: string, variables?: Record<string, unknown>) => graphqlRequest<T>(app.stack.subgraphs.assurance.url, query, variables);
type Violations = { slaViolations: { edges: { node: { state: string; service: { id: string }; alarm: { state: string; probableCause: string } | null } }[] } };
const violations = async () => (await assurance<Violations>(
  `query ($c: ID) { slaViolations(customerId: $c) { edges { node { state service { id } alarm { state probableCause } } } } }`, { c: service.customerId })).data!.slaViolations.edges.map((e) => e.node);

describe('SLA evaluation while the customer subgraph is down', () => {
  it('should store the measurements, defer the evaluation and finish it in the background once the customer subgraph is back', async () => {
    const customerUrl = app.stack.subgraphs.customer.url;
    await app.stack.subgraphs.customer.stop();

    const inputs = Array.from({ length: 8 }, (_, i) => ({ serviceId: service.id, indicator: 'latency', value: 500, time: new Date(T0 + i * 60_000).toISOString() }));
    const res = await assurance<{ recordMeasurements: { status: string }[] }>(`mutation ($inputs: [MeasurementInput!]!) { recordMeasurements(inputs: $inputs) { status } }`, { inputs });
    expect(res.errors).toBeUndefined();
    expect(res.data!.recordMeasurements.every((r) => r.status === 'CREATED')).toBe(true);
    expect(await violations()).toEqual([]);
    const pending = await app.stack.subgraphs.assurance.conn.db!.collection('sla_series').findOne({ serviceId: service.id, indicator: 'latency' });
    expect(pending?.pending).toBe(true);

    // Back on its old address, reaching the others where the stack put them.
    const config = testConfig();
    config.subgraphs = Object.fromEntries(Object.entries(app.stack.subgraphs).map(([name, s]) => [name, { port: Number(new URL(s.url).port), url: s.url }])) as typeof config.subgraphs;
    restarted = await startSubgraph(customerSubgraph, config, app.stack.mongoUri, Number(new URL(customerUrl).port), { log: () => {} });
    expect(restarted.url).toBe(customerUrl);

    // The violation commits first, its alarm follows: wait for both.
    const deadline = Date.now() + 3 * SLA_SWEEP_MS;
    let found = await violations();
    while (!found[0]?.alarm && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      found = await violations();
    }
    expect(found).toEqual([{ state: 'OPEN', service: { id: service.id }, alarm: { state: 'RAISED', probableCause: 'thresholdCrossed' } }]);
    const series = await app.stack.subgraphs.assurance.conn.db!.collection('sla_series').findOne({ serviceId: service.id, indicator: 'latency' });
    expect(series?.pending).toBe(false);
  });
});

