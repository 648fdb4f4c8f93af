import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { useStarted } from '../../../kit/test-suite.js';
import { freshSaga } from '../activation/decompose.js';
import { capacityUsed, injectFault, productOrderEvents, reservationsOf, serviceOrderEvents, serviceOrderOf, settled, startActivationStack, submit, waitFor } from './activation-fixture.js';
import { Recorder, wsClient } from './ws-recorder.js';

/**
 * Step deadlines: a step that overruns `stepDeadlineMs` raises a jeopardy alert (with its
 * ServiceOrderJeopardyEvent), then fails its item with compensation — without waiting for the
 * slow call to end. A short deadline here; the other activation tests use a generous one.
 */
// Short, yet long enough that on a loaded machine only the injected delay overruns it.
const DEADLINE_MS = 2_000;
const app = useStarted(() => startActivationStack({ stepDeadlineMs: DEADLINE_MS }));
const SEED_RESOURCES = ['gNB-001', 'slice-5g-001'];
let client: Client;
beforeAll(() => {
  client = wsClient(app.orderUrl);
});
afterAll(async () => {
  await client?.dispose();
});

interface SoChange {
  serviceOrderStateChanged: { eventType: string; state: string; previousState: string | null; jeopardyAlert: { name: string; jeopardyType: string; itemId: string | null } | null };
}

describe('a step past its deadline', () => {
  it('should raise a jeopardy alert, then fail and compensate the item long before the slow step ends', async () => {
    const key = 'slow-configuration';
    const DELAY = DEADLINE_MS * 4;
    await injectFault(app, key, 'CONFIGURATION', 'DELAY', DELAY);
    const before = await capacityUsed(app, SEED_RESOURCES);
    const id = await submit(app, key);
    const created = await waitFor(() => serviceOrderOf(app, id), 'service order');
    const live = new Recorder<SoChange>(client, `subscription ($id: ID!) { serviceOrderStateChanged(serviceOrderId: $id) {
      eventType state previousState jeopardyAlert { name jeopardyType itemId } } }`, { id: created._id });
    try {
      const { po, so } = await settled(app, id);
      // Failed once the deadline passed, without waiting for the delayed step to end.
      const configurationBegan = so.items[0].saga!.attempts.find((a) => a.step === 'CONFIGURATION')!.at.getTime();
      expect(so.completionDate!.getTime() - configurationBegan).toBeGreaterThanOrEqual(DEADLINE_MS);
      expect(so.completionDate!.getTime() - configurationBegan).toBeLessThan(DELAY);
      expect(so.jeopardyAlerts).toEqual([expect.objectContaining({ name: 'configuration overdue', jeopardyType: 'deadline', itemId: '1', message: expect.stringContaining(`${DEADLINE_MS} ms`) })]);
      expect(so.errorMessages).toEqual([expect.objectContaining({ code: 'DEADLINE_EXCEEDED', itemId: '1' })]);
      expect(po.state).toBe('FAILED');
      // The alert precedes the failure in the order's history.
      expect((await serviceOrderEvents(app, so._id)).map((e) => [e.eventType, e.state])).toEqual([
        ['ServiceOrderCreateEvent', 'ACKNOWLEDGED'], ['ServiceOrderStateChangeEvent', 'IN_PROGRESS'], ['ServiceOrderJeopardyEvent', 'IN_PROGRESS'], ['ServiceOrderStateChangeEvent', 'FAILED'],
      ]);
      expect((await productOrderEvents(app, id)).map((e) => e.state)).toEqual(['ACKNOWLEDGED', 'IN_PROGRESS', 'FAILED']);
      expect(await capacityUsed(app, SEED_RESOURCES)).toEqual(before);
      expect((await reservationsOf(app, so._id)).map((r) => r.state)).toEqual(['RELEASED']);

      // Subscribers see the jeopardy as an event of its own.
      await live.count(4);
      expect(live.events.map((e) => e.serviceOrderStateChanged.eventType)).toEqual(['CREATE', 'STATE_CHANGE', 'JEOPARDY', 'STATE_CHANGE']);
      expect(live.events[2].serviceOrderStateChanged).toEqual({ eventType: 'JEOPARDY', state: 'IN_PROGRESS', previousState: 'IN_PROGRESS', jeopardyAlert: { name: 'configuration overdue', jeopardyType: 'deadline', itemId: '1' } });
    } finally {
      live.unsubscribe();
    }
  });

  it('should flag an activated item whose confirmation is overdue, once, without failing it', async () => {
    // Activated long ago, inventory's confirmation never came (its feed or our consumer is behind).
    const long = new Date(Date.now() - DEADLINE_MS * 2);
    await app.models.ServiceOrder.create({ _id: 'SO-UNCONFIRMED', productOrderId: null, customerId: 'CUST-789', state: 'IN_PROGRESS', orderDate: long, version: 0,
      claim: { owner: null, until: new Date(0) }, sagaWakeAt: new Date(),
      items: [{ id: '1', action: 'ADD', state: 'IN_PROGRESS', serviceSpecification: { id: 'SS-5G-DATA', name: '5G Data Service' },
        saga: { ...freshSaga(), step: 'AWAITING_CONFIRMATION', stepStartedAt: long, activationRequestedAt: long } }] });
    const flagged = await waitFor(async () => {
      const so = await app.models.ServiceOrder.findById('SO-UNCONFIRMED').lean();
      return so && so.jeopardyAlerts.length > 0 && so.sagaWakeAt === undefined && so.claim?.owner === null && so;
    }, 'jeopardy raised and order released');
    expect(flagged).toMatchObject({ state: 'IN_PROGRESS', errorMessages: [], items: [expect.objectContaining({ state: 'IN_PROGRESS', saga: expect.objectContaining({ step: 'AWAITING_CONFIRMATION' }) })] });
    expect(flagged.jeopardyAlerts).toEqual([expect.objectContaining({ name: 'awaiting_confirmation overdue', itemId: '1' })]);
    expect((await serviceOrderEvents(app, 'SO-UNCONFIRMED')).map((e) => e.eventType)).toEqual(['ServiceOrderJeopardyEvent']);
  });

  it('should retry a step through an outage until its deadline, then fail it', async () => {
    // Inventory down for good (last test of the file): feasibility cannot be checked.
    await app.sut.stack.subgraphs.inventory.stop();
    const id = await submit(app, 'inventory-down');
    const { so } = await settled(app, id);
    expect(so.jeopardyAlerts).toEqual([expect.objectContaining({ name: 'feasibility overdue', itemId: '1' })]);
    expect(so.errorMessages).toEqual([expect.objectContaining({ code: 'DEADLINE_EXCEEDED' })]);
    expect(so.items[0].saga!.attempts.map((a) => a.step)).toEqual(['FEASIBILITY', 'COMPENSATING']);
  });
});
