import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useStarted } from '../../../kit/test-suite.js';
import { encodeStateCursor } from '../resolvers/subscription.js';
import { injectFault, serviceOrderOf, settled, startActivationStack, submit, waitFor } from './activation-fixture.js';
import { Recorder, wsClient } from './ws-recorder.js';

/** `serviceOrderStateChanged` served by the order subgraph over graphql-ws: history, then live. */
const app = useStarted(() => startActivationStack());
let client: Client;
beforeAll(() => {
  client = wsClient(app.orderUrl);
});
afterAll(async () => {
  await client?.dispose();
});

interface Change {
  serviceOrderStateChanged: { cursor: string; eventType: string; state: string; previousState: string | null; at: string; serviceOrder: { id: string; state: string; productOrder: { id: string } | null; items: { state: string; serviceId: string | null }[] } };
}
const WATCH = `subscription ($id: ID!, $after: String) { serviceOrderStateChanged(serviceOrderId: $id, after: $after) {
  cursor eventType state previousState at serviceOrder { id state productOrder { id } items { state serviceId } } } }`;

const recorders: Recorder<Change>[] = [];
afterEach(() => {
  for (const r of recorders.splice(0)) r.unsubscribe();
});
function watch(id: string, after?: string): Recorder<Change> {
  const r = new Recorder<Change>(client, WATCH, { id, after });
  recorders.push(r);
  return r;
}
const changes = (r: Recorder<Change>) => r.events.map((e) => [e.serviceOrderStateChanged.eventType, e.serviceOrderStateChanged.previousState, e.serviceOrderStateChanged.state]);

describe('serviceOrderStateChanged', () => {
  it('should replay a service order’s history, then deliver its completion live', async () => {
    const key = 'watch-so-1';
    await injectFault(app, key, 'ACTIVATION', 'DELAY', 1_000);
    const id = await submit(app, key);
    const so = await waitFor(async () => {
      const found = await serviceOrderOf(app, id);
      return found?.state === 'IN_PROGRESS' && found;
    }, 'service order in progress');
    const r = watch(so._id);
    await r.count(2);
    expect(changes(r)).toEqual([['CREATE', null, 'ACKNOWLEDGED'], ['STATE_CHANGE', 'ACKNOWLEDGED', 'IN_PROGRESS']]);
    await settled(app, id);
    await r.count(3);
    expect(changes(r)[2]).toEqual(['STATE_CHANGE', 'IN_PROGRESS', 'COMPLETED']);
    // Each event shows the order as it is when delivered, expanded to its product order.
    const last = r.events[2].serviceOrderStateChanged.serviceOrder;
    expect(last).toMatchObject({ id: so._id, state: 'COMPLETED', productOrder: { id }, items: [{ state: 'COMPLETED', serviceId: expect.stringMatching(/^svc-/) }] });

    // Resuming after the first cursor gives exactly the rest; after the last, nothing until new events.
    const resumed = watch(so._id, r.events[0].serviceOrderStateChanged.cursor);
    await resumed.count(2);
    expect(resumed.events.map((e) => e.serviceOrderStateChanged.cursor)).toEqual(r.events.slice(1).map((e) => e.serviceOrderStateChanged.cursor));
    const caughtUp = watch(so._id, r.events[2].serviceOrderStateChanged.cursor);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(caughtUp.events).toEqual([]);
  });

  it('should not mix a product order’s events into its service order’s stream, nor the other way round', async () => {
    const id = await submit(app, 'watch-so-2');
    const { so } = await settled(app, id);
    const r = watch(so._id);
    await r.count(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(r.events).toHaveLength(3);
    const po = new Recorder<{ productOrderStateChanged: { state: string } }>(client, `subscription ($id: ID!) { productOrderStateChanged(productOrderId: $id) { state } }`, { id });
    try {
      await po.count(3);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(po.events.map((e) => e.productOrderStateChanged.state)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'COMPLETED']);
    } finally {
      po.unsubscribe();
    }
  });

  it('should refuse an unknown service order as NOT_FOUND and a product order’s cursor as BAD_USER_INPUT naming `after`', async () => {
    const unknown = watch('SO-NOPE');
    await unknown.until((r) => r.errors !== undefined);
    expect(unknown.errors).toEqual([expect.objectContaining({ message: "service order 'SO-NOPE' does not exist", extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    const so = (await app.models.ServiceOrder.findOne({ productOrderId: { $ne: null } }).lean())!;
    const wrong = watch(so._id, encodeStateCursor(so.productOrderId!, 1));
    await wrong.until((r) => r.errors !== undefined);
    expect(wrong.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });
});
