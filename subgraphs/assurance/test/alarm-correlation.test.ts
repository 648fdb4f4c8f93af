import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import type { World } from '../../../seed/world.js';
import { useAlarmStack } from './alarm-stack.js';

/**
 * Topology correlation on the seed network (inventory serves it, assurance replicates it):
 * alarms below a resource raised within the window of its alarm become children of one root
 * cause, whichever arrives first; outside the window nothing is linked. The topology the test
 * expects is computed here from the world, independently of the replica.
 */
const world = generateWorld('small');
const stack = useAlarmStack(() => world);

/** Resources directly below `id`: those relying on it or bundled in it. */
const childrenOf = (w: World, id: string) => w.resources.filter((r) => r.reliesOn.includes(id) || r.bundledIn === id).map((r) => r.id);
const oneOf = (category: string, under: string) => world.resources.find((r) => r.category === category && (r.reliesOn.includes(under) || r.bundledIn === under))!.id;

/** A feeder fibre and the FTTH chain below it: OLT, a PON port, its ONTs. */
function ftth(feeder: string) {
  const olt = oneOf('OLT', feeder);
  const pon = oneOf('PON_PORT', olt);
  const onts = childrenOf(world, pon).slice(0, 5);
  expect(onts.length).toBeGreaterThan(1);
  return { feeder, olt, pon, onts };
}

const at = (day: number, minute: number, second = 0) => new Date(Date.UTC(2031, 2, day, 12, minute, second)).toISOString();

interface Result { id: string; isRootCause: boolean; parentAlarm: { id: string } | null }

async function raise(inputs: { resourceId: string; at: string; probableCause?: string }[]): Promise<Result[]> {
  const res = await stack.query<{ raiseAlarms: { alarm: Result | null; error: unknown }[] }>(
    `mutation ($inputs: [RaiseAlarmInput!]!) { raiseAlarms(inputs: $inputs) { alarm { id isRootCause parentAlarm { id } } error { message } } }`,
    { inputs: inputs.map((i) => ({ resourceId: i.resourceId, alarmRaisedTime: i.at, perceivedSeverity: 'MAJOR', probableCause: i.probableCause ?? 'lossOfSignal', alarmType: 'COMMUNICATIONS_ALARM', serviceAffecting: true })) });
  expect(res.errors).toBeUndefined();
  return res.data!.raiseAlarms.map((r) => r.alarm!);
}

/** The alarms as stored now: id → parent and root-cause flag. */
async function stored(ids: string[]) {
  const docs = await stack.models.Alarm.find({ _id: { $in: ids } }).lean();
  return new Map(docs.map((d) => [d._id, { parent: d.parentAlarmId ?? null, root: d.isRootCause }]));
}

describe('correlation', () => {
  it('should make a fibre cut one root cause with every alarm below it raised within the window as its child', async () => {
    const { feeder, olt, pon, onts } = ftth('fibre-008');
    const [root] = await raise([{ resourceId: feeder, at: at(1, 0) }]);
    expect(root).toMatchObject({ isRootCause: true, parentAlarm: null });
    const below = await raise([olt, pon, ...onts].map((resourceId, i) => ({ resourceId, at: at(1, 0, 20 + i) })));
    for (const child of below) expect(child).toMatchObject({ isRootCause: false, parentAlarm: { id: root.id } });
    // An alarm raised at the same time elsewhere in the network is not part of the cut.
    const [elsewhere] = await raise([{ resourceId: 'cnf-smf-001', at: at(1, 0, 30) }]);
    expect(elsewhere.parentAlarm).toBeNull();

    const res = await stack.query<{ alarm: { childAlarms: { totalCount: number; edges: { node: { id: string } }[] } } }>(
      `query ($id: ID!) { alarm(id: $id) { childAlarms(first: 50) { totalCount edges { node { id } } } } }`, { id: root.id });
    expect(res.data!.alarm.childAlarms.totalCount).toBe(below.length);
    expect(res.data!.alarm.childAlarms.edges.map((e) => e.node.id).sort()).toEqual(below.map((b) => b.id).sort());
  });

  it('should re-parent children raised before their parent, keeping one flat group with one event per change', async () => {
    const { feeder, olt, pon, onts } = ftth('fibre-007');
    const before = await stack.lastSeq();
    const ontAlarms = await raise(onts.map((resourceId, i) => ({ resourceId, at: at(2, 0, i) })));
    for (const a of ontAlarms) expect(a).toMatchObject({ isRootCause: true, parentAlarm: null });
    const [ponAlarm] = await raise([{ resourceId: pon, at: at(2, 1) }]);
    expect(ponAlarm.isRootCause).toBe(true);
    expect([...(await stored(ontAlarms.map((a) => a.id))).values()]).toEqual(ontAlarms.map(() => ({ parent: ponAlarm.id, root: false })));
    const [oltAlarm, fibreAlarm] = await raise([{ resourceId: olt, at: at(2, 2) }, { resourceId: feeder, at: at(2, 3) }]);

    const group = await stored([...ontAlarms, ponAlarm, oltAlarm].map((a) => a.id));
    expect([...group.values()]).toEqual([...group.keys()].map(() => ({ parent: fibreAlarm.id, root: false })));
    expect((await stored([fibreAlarm.id])).get(fibreAlarm.id)).toEqual({ parent: null, root: true });

    // Creates: the ONTs, PON, OLT, fibre. Changes, one event each: the PON adopts the ONTs' alarms;
    // the OLT (first in its batch) adopts the PON's group; the fibre adopts the OLT's group.
    const events = await stack.events(before);
    const changes = events.filter((e) => e.eventType === 'AlarmAttributeValueChangeEvent');
    expect(events.filter((e) => e.eventType === 'AlarmCreateEvent')).toHaveLength(onts.length + 3);
    expect(changes.map((e) => e.parentAlarmId)).toEqual([
      ...onts.map(() => ponAlarm.id), ...Array(onts.length + 1).fill(oltAlarm.id), ...Array(onts.length + 2).fill(fibreAlarm.id),
    ]);
    expect(changes.every((e) => e.isRootCause === false)).toBe(true);
  });

  it('should correlate inside one batch whatever the order, and follow containment (bundledIn)', async () => {
    const site = world.resources.find((r) => r.category === 'SITE' && r.id === 'site-004')!.id;
    const gnb = oneOf('GNB', site);
    const cells = childrenOf(world, gnb);
    const [cellA, siteAlarm, cellB, gnbAlarm] = await raise([
      { resourceId: cells[0], at: at(3, 0) }, { resourceId: site, at: at(3, 1) }, { resourceId: cells[1], at: at(3, 2) }, { resourceId: gnb, at: at(3, 1) },
    ]);
    const group = await stored([cellA.id, cellB.id, gnbAlarm.id]);
    expect([...group.values()]).toEqual([...group.keys()].map(() => ({ parent: siteAlarm.id, root: false })));
    expect(siteAlarm.id).toBeDefined();
  });

  it('should not link alarms raised outside the window, in either order', async () => {
    const { feeder, olt, pon } = ftth('fibre-006');
    const [early] = await raise([{ resourceId: pon, at: at(4, 0) }]);
    const [fibre] = await raise([{ resourceId: feeder, at: at(4, 6) }]);
    const [late] = await raise([{ resourceId: olt, at: at(4, 12) }]);
    // A report that arrives later but was raised within the window of the fibre's alarm still joins it.
    const [backdated] = await raise([{ resourceId: olt, at: at(4, 5), probableCause: 'underlyingResourceUnavailable' }]);
    const links = await stored([early.id, fibre.id, late.id, backdated.id]);
    expect(links.get(early.id)).toEqual({ parent: null, root: true });
    expect(links.get(late.id)).toEqual({ parent: null, root: true });
    expect(links.get(backdated.id)).toEqual({ parent: fibre.id, root: false });
    expect(links.get(fibre.id)).toEqual({ parent: null, root: true });
  });
});

describe('topology replica', () => {
  it('should learn a resource added to the inventory after it loaded (refresh on miss) and correlate its alarm', async () => {
    const { pon } = ftth('fibre-005');
    // Inventory gains an ONT (written the way inventory stores it; assurance only sees it through the API).
    await stack.inventory.conn.collection('resources').insertOne({
      _id: 'ont-late-001' as never, name: 'Late ONT', category: 'ONT', reliesOn: [pon], bundledIn: null,
      administrativeState: 'UNLOCKED', operationalState: 'ENABLE', usageState: 'ACTIVE', resourceStatus: 'AVAILABLE', characteristics: [],
    });
    const [ponAlarm] = await raise([{ resourceId: pon, at: at(5, 0) }]);
    const [late] = await raise([{ resourceId: 'ont-late-001', at: at(5, 1) }]);
    expect(late).toMatchObject({ isRootCause: false, parentAlarm: { id: ponAlarm.id } });
  });
});

describe('outbox', () => {
  it('should number events with strictly increasing seq, one per change, in the order of the changes', async () => {
    const events = await stack.events();
    expect(events.length).toBeGreaterThan(20);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1));
    expect(new Set(events.map((e) => e.eventId)).size).toBe(events.length);
    // Every alarm raised through the API has exactly one create event.
    const created = await stack.models.Alarm.find({ alarmRaisedTime: { $gte: new Date(Date.UTC(2031, 0, 1)) } }, { _id: 1 }).lean();
    const creates = events.filter((e) => e.eventType === 'AlarmCreateEvent').map((e) => e.alarmId);
    expect(creates.sort()).toEqual(created.map((c) => c._id).sort());
  });
});
