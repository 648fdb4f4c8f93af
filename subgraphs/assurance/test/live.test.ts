import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import { startStackUnderTest, type StackUnderTest } from '../../../test/helpers/stack.js';
import { graphqlRequest } from '../../../kit/testing.js';
import { Recorder, wsClient } from '../../order/test/ws-recorder.js';
import { OutboxHub } from '../live/hub.js';
import { changes, clear, raise, raiseMany, seqOf, sleep, watchAlarms } from './live-watch.js';

/**
 * `alarmChanged` served by the assurance subgraph itself over graphql-ws, fed by the outbox the
 * alarm mutations write: live start, replay after a cursor, filters, and an alarm storm
 * coalesced. The whole product runs (raising an alarm checks the resource with inventory).
 * Alarms go on leaf resources (cells, ONTs) so correlation adds no changes of its own.
 */
const world = generateWorld('small');
const parents = new Set(world.resources.flatMap((r) => [...r.reliesOn, ...(r.bundledIn ? [r.bundledIn] : [])]));
const leaves = world.resources.filter((r) => !parents.has(r.id) && (r.category === 'CELL' || r.category === 'ONT')).map((r) => r.id);
let nextLeaf = 0;
/** A leaf resource no other test uses. */
const leaf = () => leaves[nextLeaf++];

let sut: StackUnderTest;
let url: string;
let client: Client;
const recorders: { unsubscribe(): void }[] = [];

beforeAll(async () => {
  sut = await startStackUnderTest(world);
  url = sut.stack.subgraphs.assurance.url;
  client = wsClient(url);
});
afterEach(() => {
  for (const r of recorders.splice(0)) r.unsubscribe();
});
afterAll(async () => {
  await client?.dispose();
  await sut?.stop();
});

function watch(args: Parameters<typeof watchAlarms>[1] = {}) {
  const r = watchAlarms(client, args);
  recorders.push(r);
  return r;
}

/** Subscribes and waits until the subscription is live (a marker alarm raised after it arrives). */
async function live(args: Parameters<typeof watchAlarms>[1] = {}) {
  const r = watch(args);
  const marker = args.resourceId ?? leaf();
  for (let i = 0; ; i++) {
    const before = r.events.length;
    const alarm = await raise(url, { resourceId: marker, perceivedSeverity: 'CRITICAL', probableCause: 'marker', specificProblem: `m${i}` });
    try {
      await r.until((x) => x.events.length > before, 300);
      await clear(url, alarm.id);
      await r.until((x) => changes(x).some((c) => c.alarm.id === alarm.id && c.state === 'CLEARED'));
      r.events.length = 0;
      return r;
    } catch {
      if (i > 20) throw new Error('subscription never went live');
    }
  }
}

describe('alarmChanged: live and replay', () => {
  it('should start live without `after`: changes from before the subscription are not sent', async () => {
    const resourceId = leaf();
    const before = await raise(url, { resourceId, perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal' });
    const r = await live({ resourceId });
    const after = await raise(url, { resourceId, perceivedSeverity: 'MINOR', probableCause: 'powerProblems' });
    await r.until((x) => x.events.length >= 1);
    await sleep(300);
    expect(changes(r)).toEqual([expect.objectContaining({
      eventType: 'CREATE', state: 'RAISED', previousState: null, perceivedSeverity: 'MINOR', coalesced: 1,
      alarm: { id: after.id, state: 'RAISED', perceivedSeverity: 'MINOR', count: 1, alarmedObject: { id: resourceId } },
    })]);
    expect(changes(r).map((c) => c.alarm.id)).not.toContain(before.id);
  });

  it('should replay the changes after a cursor, then go live, with no gap and no duplicate while changes keep coming', async () => {
    const first = await live();
    const resources = Array.from({ length: 30 }, leaf);
    // A writer keeps raising distinct alarms (one change each: nothing to coalesce) while a second
    // subscriber resumes from a cursor the first one received.
    const writing = (async () => {
      for (const resourceId of resources) await raise(url, { resourceId, perceivedSeverity: 'WARNING', probableCause: 'replayTest' });
    })();
    await first.until((x) => x.events.length >= 5);
    const resumeAt = changes(first)[2].cursor;
    const resumed = watch({ after: resumeAt });
    await writing;
    await first.until((x) => changes(x).filter((c) => c.alarm.id && resources.includes(c.alarm.alarmedObject.id)).length >= 30, 10_000);
    const expected = changes(first).slice(3).map((c) => c.cursor);
    await resumed.until((x) => x.events.length >= expected.length, 10_000);
    await sleep(300);
    expect(changes(resumed).map((c) => c.cursor)).toEqual(expected);
    const seqs = changes(first).map((c) => seqOf(c.cursor));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('should replay a long history page by page, each change once and in order', async () => {
    const first = await live();
    const resourceId = leaf();
    await raise(url, { resourceId, perceivedSeverity: 'MINOR', probableCause: 'longReplay', specificProblem: 'start' });
    await first.until((x) => x.events.length >= 1);
    const start = changes(first)[0].cursor;
    // 1,300 distinct alarms (two batches): more than two replay pages.
    for (const [from, n] of [[0, 1000], [1000, 300]]) {
      await raiseMany(url, Array.from({ length: n }, (_, i) => ({ resourceId, perceivedSeverity: 'MINOR', probableCause: 'longReplay', specificProblem: `p${from + i}` })));
    }
    const resumed = watch({ after: start, resourceId });
    await resumed.until((x) => x.events.length >= 1300, 30_000);
    await sleep(300);
    expect(changes(resumed).map((c) => c.cursor)).toEqual(changes(first).slice(1).map((c) => c.cursor));
    expect(new Set(changes(resumed).map((c) => c.alarm.id)).size).toBe(1300);
  });

  it('should refuse a cursor that is not one of its own with BAD_USER_INPUT naming `after`', async () => {
    const r = watch({ after: Buffer.from('ProductOrderStateChange:3:PO-1').toString('base64url') });
    await r.until((x) => x.errors !== undefined);
    expect(r.errors![0]).toMatchObject({ message: expect.stringContaining('after'), extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' } });
  });

  it('should close the shared outbox stream once nobody watches any more', async () => {
    await live();
    expect(OutboxHub.active).toBe(1);
    for (const r of recorders.splice(0)) r.unsubscribe();
    const deadline = Date.now() + 3000;
    while (OutboxHub.active > 0 && Date.now() < deadline) await sleep(20);
    expect(OutboxHub.active).toBe(0);
  });
});

describe('alarmChanged: filters', () => {
  it('should send only alarms at least `minSeverity` severe, and every later change of those it sent', async () => {
    const resourceId = leaf();
    const r = await live({ minSeverity: 'MAJOR', resourceId });
    const minor = await raise(url, { resourceId, perceivedSeverity: 'MINOR', probableCause: 'powerProblems' });
    const major = await raise(url, { resourceId, perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal' });
    await sleep(400); // let the coalescing window pass between the changes of `major`
    await raise(url, { resourceId, perceivedSeverity: 'WARNING', probableCause: 'lossOfSignal' }); // downgraded: still followed
    await sleep(400);
    await clear(url, major.id);
    await clear(url, minor.id);
    await r.until((x) => changes(x).some((c) => c.state === 'CLEARED'));
    await sleep(400);
    expect(changes(r).map((c) => [c.alarm.id, c.state, c.perceivedSeverity])).toEqual([
      [major.id, 'RAISED', 'MAJOR'], [major.id, 'UPDATED', 'WARNING'], [major.id, 'CLEARED', 'WARNING'],
    ]);
  });

  it('should send only alarms on `resourceId`', async () => {
    const [mine, other] = [leaf(), leaf()];
    const r = await live({ resourceId: mine });
    await raise(url, { resourceId: other, perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal' });
    const a = await raise(url, { resourceId: mine, perceivedSeverity: 'WARNING', probableCause: 'lossOfSignal' });
    await r.until((x) => x.events.length >= 1);
    await sleep(300);
    expect(changes(r).map((c) => [c.alarm.id, c.alarm.alarmedObject.id])).toEqual([[a.id, mine]]);
  });

  it('should refuse a `resourceId` the inventory does not know with BAD_USER_INPUT', async () => {
    const r = watch({ resourceId: 'NO-SUCH-RESOURCE' });
    await r.until((x) => x.errors !== undefined);
    expect(r.errors![0]).toMatchObject({ message: expect.stringContaining('NO-SUCH-RESOURCE'), extensions: { code: 'BAD_USER_INPUT', argumentName: 'resourceId' } });
  });
});

describe('alarmChanged: an alarm storm', () => {
  it('should coalesce 200 updates of one alarm among other alarms: far fewer changes, the last state exact, order kept', async () => {
    const stormy = leaf();
    const others = Array.from({ length: 10 }, leaf);
    const r = await live();
    const fault = { resourceId: stormy, perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal', specificProblem: 'flapping' };
    const start = Date.now();
    let id = '';
    for (let round = 0; round < 20; round++) {
      // An EMS batch of 9 reports of the fault, a single report, and now and then another alarm.
      await raiseMany(url, Array.from({ length: 9 }, () => fault));
      id = (await raise(url, fault)).id;
      if (round % 2 === 0) await raise(url, { resourceId: others[round / 2], perceivedSeverity: 'MINOR', probableCause: 'stormNeighbour' });
    }
    await clear(url, id);
    const elapsed = Date.now() - start;
    await r.until((x) => changes(x).some((c) => c.alarm.id === id && c.state === 'CLEARED'), 10_000);
    await sleep(500);
    const mine = changes(r).filter((c) => c.alarm.id === id);
    // 200 reports: the raise and 199 updates, then the clear; each delivery says how many it stands for.
    expect(mine.reduce((n, c) => n + c.coalesced, 0)).toBe(201);
    // At most one delivery per window after the first, and the clear.
    expect(mine.length).toBeLessThanOrEqual(2 + Math.ceil(elapsed / 250));
    expect(mine.length).toBeLessThan(40);
    expect(mine.at(-1)).toMatchObject({ state: 'CLEARED', eventType: 'CLEAR', alarm: { id, state: 'CLEARED', count: 200 } });
    // Every other alarm arrives, once, and the whole stream stays in outbox order.
    const neighbours = changes(r).filter((c) => others.includes(c.alarm.alarmedObject.id));
    expect(neighbours.map((c) => c.alarm.alarmedObject.id)).toEqual(others);
    const seqs = changes(r).map((c) => seqOf(c.cursor));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    // Each delivery continues from the state the previous one left the alarm in.
    mine.slice(1).forEach((c, i) => expect(c.previousState).toBe(mine[i].state));
  });
});

describe('alarmChanged: an alarm selection of creation-time fields', () => {
  const CREATION_FIELDS = `subscription ($resourceId: ID) { alarmChanged(resourceId: $resourceId) { state
    alarm { __typename id probableCause specificProblem alarmType alarmRaisedTime alarmedObject { __typename id } ... on Alarm { id } } } }`;
  type Delivered = { alarmChanged: { state: string; alarm: Record<string, unknown> } };

  it('should answer it from the change events, with the values stored, for every change of the alarm', async () => {
    const resourceId = leaf();
    const r = new Recorder<Delivered>(client, CREATION_FIELDS, { resourceId });
    recorders.push(r);
    let alarm: { id: string } | undefined;
    for (let i = 0; !alarm; i++) {
      const raised = await raise(url, { resourceId, perceivedSeverity: 'MAJOR', probableCause: 'lossOfFrame', specificProblem: `creation ${i}` });
      try {
        await r.until((x) => x.events.some((e) => e.alarmChanged.alarm.id === raised.id), 300);
        alarm = raised;
      } catch {
        if (i > 20) throw new Error('subscription never went live');
      }
    }
    await clear(url, alarm.id);
    await r.until((x) => x.events.some((e) => e.alarmChanged.alarm.id === alarm!.id && e.alarmChanged.state === 'CLEARED'));
    const stored = await graphqlRequest<{ alarm: Record<string, unknown> }>(url, `query ($id: ID!) { alarm(id: $id) {
      __typename id probableCause specificProblem alarmType alarmRaisedTime alarmedObject { __typename id } } }`, { id: alarm.id });
    const mine = r.events.filter((e) => e.alarmChanged.alarm.id === alarm!.id);
    expect(mine.map((e) => e.alarmChanged.state)).toEqual(['RAISED', 'CLEARED']);
    for (const e of mine) expect(e.alarmChanged.alarm).toEqual(stored.data!.alarm);
  });
});
