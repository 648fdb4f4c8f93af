import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../kit/config.js';
import { connectDatabase } from '../../../kit/db.js';
import type { OutboxEvent } from '../../../kit/outbox/types.js';
import { startSubgraph } from '../../../kit/subgraph.js';
import { useStarted } from '../../../kit/test-suite.js';
import { graphqlRequest, seedSubgraph, startTestMongo, testConfig } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';
import { subgraph as assurance } from '../../assurance/index.js';
import { subgraph as inventory } from '../../inventory/index.js';
import { careForOutage, outageClosingId, outageNoticeId, prepareOutageCare, type OutageCareDeps } from '../outage-care/outage-care.js';
import { subgraph as customer } from '../index.js';

/**
 * Proactive care against the real customer database and the real inventory subgraph (the impact
 * API): the reaction is handed assurance outbox events shaped as the contract says, delivered
 * again and by two instances at once, as the outbox consumer may.
 */
const world = generateWorld('small');
const FIBRE = world.landmarks.bigFibreLinkId;

const sut = useStarted(async () => {
  const mongo = await startTestMongo();
  await Promise.all([seedSubgraph(customer, mongo.uri, world), seedSubgraph(inventory, mongo.uri, world)]);
  const base = testConfig();
  const inv = await startSubgraph(inventory, base, mongo.uri, 0, { log: () => {} });
  const withInventory: AppConfig = { ...base, subgraphs: { ...base.subgraphs, inventory: { port: 0, url: inv.url } } };
  // The real assurance API (the reaction asks it which alarms were re-parented); it knows none
  // of the alarms these tests make up.
  const alarms = await startSubgraph(assurance, withInventory, mongo.uri, 0, { log: () => {} });
  const config: AppConfig = { ...withInventory, subgraphs: { ...withInventory.subgraphs, assurance: { port: 0, url: alarms.url } } };
  // No background work: these tests hand events to the reaction themselves, no consumer reads the feed.
  const running = await startSubgraph(customer, { ...config, backgroundWork: false }, mongo.uri, 0, { log: () => {} });
  // A second instance of the reaction: its own connection to the same database.
  const otherConn = await connectDatabase(mongo.uri, 'customer');
  const logs: string[] = [];
  const log = (msg: string) => logs.push(msg);
  const deps: OutageCareDeps = { models: customer.createModels(running.conn), config, conn: running.conn, log };
  const other: OutageCareDeps = { models: customer.createModels(otherConn), config, conn: otherConn, log };
  await prepareOutageCare(deps);
  return {
    deps, other, logs, running,
    async stop() {
      await otherConn.close();
      await running.stop();
      await alarms.stop();
      await inv.stop();
      await mongo.stop();
    },
  };
});

const AT = new Date('2025-06-01T10:00:00.000Z');

/** An alarm event of the assurance outbox, as the feed delivers it. */
function alarmEvent(alarmId: string, resourceId: string, fields: Partial<Record<string, unknown>> = {}): OutboxEvent {
  return {
    _id: randomUUID(), eventId: randomUUID(), eventType: 'AlarmCreateEvent', seq: 1, eventTime: AT, alarmId, resourceId,
    state: 'RAISED', previousState: null, perceivedSeverity: 'CRITICAL', probableCause: 'linkFailure', serviceAffecting: true,
    isRootCause: true, parentAlarmId: null, alarmType: 'COMMUNICATIONS_ALARM', count: 1, ...fields,
  };
}
const cleared = (alarmId: string, resourceId: string) => alarmEvent(alarmId, resourceId, { eventType: 'AlarmClearEvent', state: 'CLEARED', previousState: 'RAISED' });

const interactionsOf = (alarmId: string, reason: string) =>
  sut.deps.models.Interaction.find({ 'relatedEntity.id': alarmId, reason }).sort({ customerId: 1 }).lean();
const impacted = (resourceId: string) => bruteForceImpact(world, resourceId).customerIds;

describe('outage notifications', () => {
  it('should tell every customer the topology says a root-cause fault hurts, once, visible in the CRM', async () => {
    const expected = impacted(FIBRE);
    expect(expected.length).toBeGreaterThan(10);
    expect(await careForOutage(sut.deps, alarmEvent('ALM-OC-1', FIBRE))).toEqual({ kind: 'notified', alarmId: 'ALM-OC-1', customers: expected.length });
    const notes = await interactionsOf('ALM-OC-1', 'outage notification');
    expect(notes.map((n) => n.customerId)).toEqual(expected);
    expect(notes.map((n) => n._id)).toEqual(expected.map((c) => outageNoticeId('ALM-OC-1', c)));
    const res = await graphqlRequest<{ customer: { interactions: { edges: { node: Record<string, unknown> }[] } } }>(sut.running.url, `query ($id: ID!) { customer(id: $id) {
      interactions(first: 50) { edges { node { id channel direction reason description createdAt relatedEntity { id referredType role } } } } } }`, { id: expected[0] });
    expect(res.data!.customer.interactions.edges.map((e) => e.node)).toContainEqual({
      id: outageNoticeId('ALM-OC-1', expected[0]), channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'outage notification',
      description: expect.stringContaining(`linkFailure on ${FIBRE}`), createdAt: AT.toISOString(),
      relatedEntity: [{ id: 'ALM-OC-1', referredType: 'Alarm', role: 'cause' }, { id: FIBRE, referredType: 'Resource', role: 'alarmedObject' }],
    });
    // Later reports of the same fault (UPDATED) and a replay of the raise tell nobody again.
    expect(await careForOutage(sut.deps, alarmEvent('ALM-OC-1', FIBRE, { eventType: 'AlarmStateChangeEvent', state: 'UPDATED', count: 2 }))).toEqual({ kind: 'duplicate' });
    expect(await interactionsOf('ALM-OC-1', 'outage notification')).toHaveLength(expected.length);
  });

  it('should close every notification of an incident once when its alarm clears', async () => {
    const notified = (await interactionsOf('ALM-OC-1', 'outage notification')).map((n) => n.customerId);
    const outcomes = await Promise.all([careForOutage(sut.deps, cleared('ALM-OC-1', FIBRE)), careForOutage(sut.other, cleared('ALM-OC-1', FIBRE))]);
    expect(outcomes).toContainEqual({ kind: 'closed', alarmId: 'ALM-OC-1', customers: notified.length });
    const closing = await interactionsOf('ALM-OC-1', 'outage resolved');
    expect(closing.map((n) => n.customerId)).toEqual(notified);
    expect(closing.map((n) => n._id)).toEqual(notified.map((c) => outageClosingId('ALM-OC-1', c)));
    expect(closing[0].description).toContain(`outage on ${FIBRE} is over`);
    expect(await careForOutage(sut.deps, cleared('ALM-OC-1', FIBRE))).toEqual({ kind: 'duplicate' });
    expect(await interactionsOf('ALM-OC-1', 'outage resolved')).toHaveLength(notified.length);
  });

  it('should notify each customer exactly once when the event arrives five times at two instances at once', async () => {
    const resourceId = 'acc-rtr-002';
    const expected = impacted(resourceId);
    const event = alarmEvent('ALM-OC-2', resourceId);
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => careForOutage(i % 2 ? sut.other : sut.deps, structuredClone(event))));
    expect(outcomes.filter((o) => o.kind === 'notified')).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(5);
    const notes = await interactionsOf('ALM-OC-2', 'outage notification');
    expect(notes.map((n) => n.customerId)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(10);
    expect(new Set(notes.map((n) => n._id)).size).toBe(notes.length);
  });

  it('should tell a customer once when a downstream alarm came first and its root cause follows, and close each on its clear', async () => {
    // The access router fails first (a root cause for a moment), then the fibre above it.
    const first = impacted('acc-rtr-001');
    const all = impacted(FIBRE);
    await careForOutage(sut.deps, alarmEvent('ALM-OC-3A', 'acc-rtr-001'));
    await careForOutage(sut.deps, alarmEvent('ALM-OC-3B', FIBRE));
    const a = (await interactionsOf('ALM-OC-3A', 'outage notification')).map((n) => n.customerId);
    const b = (await interactionsOf('ALM-OC-3B', 'outage notification')).map((n) => n.customerId);
    const stillOpen = impacted('acc-rtr-002'); // ALM-OC-2 never cleared: those customers know already
    expect(a).toEqual(first.filter((c) => !stillOpen.includes(c)));
    expect(b).toEqual(all.filter((c) => !first.includes(c) && !stillOpen.includes(c)));
    await careForOutage(sut.deps, cleared('ALM-OC-3B', FIBRE));
    await careForOutage(sut.deps, cleared('ALM-OC-3A', 'acc-rtr-001'));
    expect((await interactionsOf('ALM-OC-3A', 'outage resolved')).map((n) => n.customerId)).toEqual(a);
    expect((await interactionsOf('ALM-OC-3B', 'outage resolved')).map((n) => n.customerId)).toEqual(b);
  });

  it.each([
    ['not service-affecting', { serviceAffecting: false }],
    ['not a root cause', { isRootCause: false, parentAlarmId: 'ALM-OC-1' }],
  ])('should tell nobody about an alarm that is %s, and not note its clear', async (_why, fields) => {
    const id = `ALM-OC-IGN-${randomUUID()}`;
    expect((await careForOutage(sut.deps, alarmEvent(id, 'acc-rtr-001', fields))).kind).toBe('ignored');
    expect((await careForOutage(sut.deps, cleared(id, 'acc-rtr-001'))).kind).toBe('ignored');
    expect(await sut.deps.models.Interaction.countDocuments({ 'relatedEntity.id': id })).toBe(0);
  });

  it('should fail (so the consumer retries) and write nothing while inventory does not answer', async () => {
    const down: OutageCareDeps = { ...sut.deps, config: { ...sut.deps.config, subgraphs: { ...sut.deps.config.subgraphs, inventory: { port: 0, url: 'http://127.0.0.1:1/graphql' } } } };
    await expect(careForOutage(down, alarmEvent('ALM-OC-DOWN', FIBRE))).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'inventory' } });
    expect(await sut.deps.models.Interaction.countDocuments({ 'relatedEntity.id': 'ALM-OC-DOWN' })).toBe(0);
  });
});
