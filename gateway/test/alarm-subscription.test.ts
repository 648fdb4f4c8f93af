import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../seed/generate.js';
import { clear, raise, seqOf } from '../../subgraphs/assurance/test/live-watch.js';
import { bruteForceImpact } from '../../test/helpers/impact-oracle.js';
import { useStackWithClient } from '../../test/helpers/stack.js';
import { subscribed } from '../../test/helpers/assurance.js';
import { eventually, watch, type Watch } from './helpers/ws-client.js';

/**
 * The product's live alarm stream through the gateway's generic federated-subscription executor:
 * events come from the assurance subgraph, and every event is expanded across inventory (the
 * impact of the alarmed resource) and customer (the impacted customers' names). Nothing in the
 * gateway knows `alarmChanged`.
 */
const WATCH = `subscription Faults($after: String) { alarmChanged(minSeverity: MAJOR, after: $after) {
  cursor eventType state previousState
  alarm { id perceivedSeverity alarmedObject { id impactedCustomers(first: 5) { totalCount edges { node { id name } } } } } } }`;

interface Change {
  cursor: string;
  eventType: string;
  state: string;
  previousState: string | null;
  alarm: { id: string; perceivedSeverity: string; alarmedObject: { id: string; impactedCustomers: { totalCount: number; edges: { node: { id: string; name: string } }[] } } };
}
const changes = (w: Watch) => w.results.map((r) => (r.data as { alarmChanged: Change }).alarmChanged);

const world = generateWorld('small');
const FIBRE = world.landmarks.bigFibreLinkId;
/** An ONT outside the fibre's reach: its alarm correlates with nothing of this test. */
const ONT = world.resources.find((r) => r.category === 'ONT' && !bruteForceImpact(world, FIBRE).resourceIds.has(r.id))!.id;
const app = useStackWithClient(world);

describe('alarmChanged through the gateway', () => {
  it('should expand each change across inventory and customer, in order, and resume after a cursor', async () => {
    const w = await subscribed(app, app.client, WATCH);
    const assurance = app.stack.subgraphs.assurance.url;
    const alarm = await raise(assurance, { resourceId: FIBRE, perceivedSeverity: 'CRITICAL', probableCause: 'linkFailure', specificProblem: 'gateway test' });
    await raise(assurance, { resourceId: ONT, perceivedSeverity: 'MINOR', probableCause: 'dyingGasp' }); // below MAJOR: not sent
    await new Promise((r) => setTimeout(r, 400)); // past the coalescing window: the clear is its own change
    await clear(assurance, alarm.id);
    await w.waitFor(2, 10_000);
    expect(w.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const impact = bruteForceImpact(world, FIBRE);
    const names = new Map(world.customers.map((c) => [c.id, c.name]));
    const [raised, cleared] = changes(w);
    expect(raised).toMatchObject({ eventType: 'CREATE', state: 'RAISED', previousState: null, alarm: { id: alarm.id, perceivedSeverity: 'CRITICAL' } });
    expect(cleared).toMatchObject({ eventType: 'CLEAR', state: 'CLEARED', previousState: 'RAISED', alarm: { id: alarm.id } });
    for (const c of [raised, cleared]) {
      expect(c.alarm.alarmedObject).toEqual({
        id: FIBRE,
        impactedCustomers: { totalCount: impact.customerIds.length, edges: impact.customerIds.slice(0, 5).map((id) => ({ node: { id, name: names.get(id) } })) },
      });
    }
    expect(seqOf(cleared.cursor)).toBeGreaterThan(seqOf(raised.cursor));
    await new Promise((r) => setTimeout(r, 300));
    expect(w.results).toHaveLength(2);

    // A client that lost its connection after the first change resumes with its cursor.
    const resumed = watch(app.client, { query: WATCH, variables: { after: raised.cursor } });
    await resumed.waitFor(1, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(changes(resumed).map((c) => [c.cursor, c.state])).toEqual([[cleared.cursor, 'CLEARED']]);
    expect(changes(resumed)[0].alarm.alarmedObject.impactedCustomers.totalCount).toBe(impact.customerIds.length);
    w.unsubscribe();
    resumed.unsubscribe();
    await eventually(() => app.stack.gateway.executor.upstream.active === 0);
  });

  it("should pass on the subgraph's refusal of a bad cursor as the subscription's error", async () => {
    const w = watch(app.client, { query: WATCH, variables: { after: 'not-a-cursor' } });
    const ending = await w.ended;
    const errors = ending.kind === 'error' ? (ending.error as { message: string; extensions?: Record<string, unknown> }[]) : w.results.flatMap((r) => r.errors ?? []);
    expect(errors[0]).toMatchObject({ message: expect.stringContaining('after'), extensions: { code: 'BAD_USER_INPUT', serviceName: 'assurance' } });
    expect(app.stack.gateway.subscriptions.clients).toBe(1);
  });
});
