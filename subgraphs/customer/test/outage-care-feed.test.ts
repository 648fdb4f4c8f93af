import { describe, expect, it } from 'vitest';
import type { AppConfig } from '../../../kit/config.js';
import { connectDatabase } from '../../../kit/db.js';
import { consumeOutbox } from '../../../kit/outbox/consumer.js';
import { testConfig, until } from '../../../kit/testing.js';
import { generateWorld } from '../../../seed/generate.js';
import { bruteForceImpact } from '../../../test/helpers/impact-oracle.js';
import { useStack } from '../../../test/helpers/stack.js';
import { clear, raise } from '../../assurance/test/live-watch.js';
import { careForOutage, type OutageCareDeps } from '../outage-care/outage-care.js';
import { subgraph as customer } from '../index.js';

/**
 * Proactive care end to end: alarms raised through the assurance API reach the customer
 * subgraph's consumer through the assurance outbox feed; the customers the topology says are hurt
 * get one outage notification each, and a closing note when the alarm clears — also when every
 * event is delivered a second time by another consumer.
 */
const world = generateWorld('small');
const app = useStack(world);

const interactions = () => customer.createModels(app.stack.subgraphs.customer.conn).Interaction;
const notes = (alarmId: string, reason: string) => interactions().find({ 'relatedEntity.id': alarmId, reason }).sort({ customerId: 1 }).lean();
const outages = () => interactions().find({ reason: 'outage notification' }).lean();

/** Two resources of one fibre's tree: the fibre, and an access router below it. */
function tree(fibreId: string) {
  const below = bruteForceImpact(world, fibreId).resourceIds;
  const router = world.resources.find((r) => r.category === 'ACCESS_ROUTER' && below.has(r.id) && bruteForceImpact(world, r.id).customerIds.length > 0)!;
  return { fibre: fibreId, router: router.id };
}

describe('outage notifications from the assurance outbox', () => {
  it('should notify every impacted customer once per incident, with every event delivered twice, and close on clear', async () => {
    const assurance = app.stack.subgraphs.assurance.url;
    const { fibre, router } = tree(world.landmarks.bigFibreLinkId);
    const expected = bruteForceImpact(world, fibre).customerIds;
    const root = await raise(assurance, { resourceId: fibre, perceivedSeverity: 'CRITICAL', probableCause: 'linkFailure', serviceAffecting: true });
    await until(async () => (await notes(root.id, 'outage notification')).length >= expected.length, 15_000, 'the notifications');
    // A child alarm below the root cause, and repeated reports of the root: nobody is told again.
    await raise(assurance, { resourceId: router, perceivedSeverity: 'MAJOR', probableCause: 'linkDown', serviceAffecting: true });
    for (let i = 0; i < 3; i++) await raise(assurance, { resourceId: fibre, perceivedSeverity: 'CRITICAL', probableCause: 'linkFailure', serviceAffecting: true });

    // A second consumer reads the whole feed again from its start: every event comes twice.
    const conn = await connectDatabase(app.stack.mongoUri, 'customer');
    const deps: OutageCareDeps = { models: customer.createModels(conn), config: liveConfig(), conn, log: () => {} };
    const again = await consumeOutbox({ name: 'test.outage-care-replay', source: 'assurance', config: deps.config, conn, handle: async (e) => void (await careForOutage(deps, e)) });
    try {
      await again.ready;
      await clear(assurance, root.id);
      await until(async () => (await notes(root.id, 'outage resolved')).length >= expected.length, 15_000, 'the closing notes');
      await new Promise((r) => setTimeout(r, 500));
      const told = await notes(root.id, 'outage notification');
      expect(told.map((n) => n.customerId)).toEqual(expected);
      expect((await outages()).filter((n) => n.customerId && expected.includes(n.customerId))).toHaveLength(expected.length);
      expect((await notes(root.id, 'outage resolved')).map((n) => n.customerId)).toEqual(expected);
    } finally {
      await again.stop();
      await conn.close();
    }
  });

  it('should tell a customer once when an alarm below the root cause came first', async () => {
    const assurance = app.stack.subgraphs.assurance.url;
    const fibre = world.resources.find((r) => r.category === 'FIBRE_LINK' && r.id !== world.landmarks.bigFibreLinkId && bruteForceImpact(world, r.id).customerIds.length > 5)!.id;
    const { router } = tree(fibre);
    const before = (await outages()).length;
    const early = await raise(assurance, { resourceId: router, perceivedSeverity: 'MAJOR', probableCause: 'linkDown', serviceAffecting: true });
    await until(async () => (await notes(early.id, 'outage notification')).length === bruteForceImpact(world, router).customerIds.length, 15_000, 'the router outage');
    const root = await raise(assurance, { resourceId: fibre, perceivedSeverity: 'CRITICAL', probableCause: 'linkFailure', serviceAffecting: true });
    const expected = bruteForceImpact(world, fibre).customerIds;
    await until(async () => (await outages()).length - before >= expected.length, 15_000, 'the fibre outage');
    await new Promise((r) => setTimeout(r, 500));
    const told = [...(await notes(early.id, 'outage notification')), ...(await notes(root.id, 'outage notification'))].map((n) => n.customerId).sort();
    expect(told).toEqual(expected);
  });
});

/** The configuration the stack's subgraphs run with: every URL where it listens. */
function liveConfig(): AppConfig {
  const subgraphs = Object.fromEntries(Object.values(app.stack.subgraphs).map((s) => [s.name, { port: Number(new URL(s.url).port), url: s.url }]));
  return { ...testConfig(), subgraphs: subgraphs as AppConfig['subgraphs'] };
}
