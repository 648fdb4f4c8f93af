import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import { useAlarmStack } from './alarm-stack.js';

/**
 * Operations on existing alarms (TMF642): acknowledge, unacknowledge, clear (idempotent) and
 * comment, one by one and by pattern; unknown ids and bad input write nothing; every change
 * has exactly one outbox event, a change that changes nothing has none.
 */
const world = generateWorld('small');
const stack = useAlarmStack(() => world);
/** An access router behind fibre-002 (fibre-002 ← agg-rtr-002 ← access routers). */
const accessRouterBehindFibre2 = world.resources.find((r) => r.category === 'ACCESS_ROUTER' && r.reliesOn.includes('agg-rtr-002'))!.id;

const at = (hour: number, minute = 0) => new Date(Date.UTC(2031, 1, 1, hour, minute)).toISOString();

async function raise(resourceId: string, over: Record<string, unknown> = {}): Promise<string> {
  const res = await stack.query<{ raiseAlarm: { id: string } }>(`mutation ($input: RaiseAlarmInput!) { raiseAlarm(input: $input) { id } }`, {
    input: { resourceId, perceivedSeverity: 'MAJOR', probableCause: 'linkFailure', alarmType: 'COMMUNICATIONS_ALARM', alarmRaisedTime: at(0), ...over },
  });
  expect(res.errors).toBeUndefined();
  return res.data!.raiseAlarm.id;
}

const FIELDS = 'id state ackState ackUserId ackSystemId alarmClearedTime alarmChangedTime perceivedSeverity comments { comment userId systemId time }';
type AlarmView = { id: string; state: string; ackState: string; ackUserId: string | null; alarmClearedTime: string | null; perceivedSeverity: string; comments: { comment: string; userId: string | null }[] };

async function mutate(field: string, args: string, variables: Record<string, unknown>) {
  return stack.query<Record<string, AlarmView>>(`mutation (${args}) { ${field} { ${FIELDS} } }`, variables);
}

const written = async () => ({ seq: await stack.lastSeq(), alarms: await stack.models.Alarm.countDocuments() });

describe('acknowledgeAlarm / unacknowledgeAlarm', () => {
  it('should acknowledge with who and where, once; and withdraw it, once', async () => {
    const id = await raise('port-ar-001-01');
    const before = await stack.lastSeq();
    const ack = await mutate('acknowledgeAlarm(id: $id, ackUserId: "noc-ann", ackSystemId: "noc-portal")', '$id: ID!', { id });
    expect(ack.data!.acknowledgeAlarm).toMatchObject({ ackState: 'ACKNOWLEDGED', ackUserId: 'noc-ann', ackSystemId: 'noc-portal', state: 'RAISED' });
    const again = await mutate('acknowledgeAlarm(id: $id, ackUserId: "noc-bob")', '$id: ID!', { id });
    expect(again.data!.acknowledgeAlarm).toMatchObject({ ackState: 'ACKNOWLEDGED', ackUserId: 'noc-ann' });
    const unack = await mutate('unacknowledgeAlarm(id: $id)', '$id: ID!', { id });
    expect(unack.data!.unacknowledgeAlarm).toMatchObject({ ackState: 'UNACKNOWLEDGED', ackUserId: null, ackSystemId: null });
    await mutate('unacknowledgeAlarm(id: $id)', '$id: ID!', { id });
    const events = await stack.events(before);
    expect(events.map((e) => [e.eventType, e.alarmId, e.ackState])).toEqual([
      ['AlarmAttributeValueChangeEvent', id, 'ACKNOWLEDGED'], ['AlarmAttributeValueChangeEvent', id, 'UNACKNOWLEDGED'],
    ]);
  });

  it('should answer NOT_FOUND for an unknown alarm and write nothing', async () => {
    const before = await written();
    for (const field of ['acknowledgeAlarm(id: $id)', 'unacknowledgeAlarm(id: $id)', 'clearAlarm(id: $id)', 'commentAlarm(id: $id, comment: "hello")']) {
      const res = await mutate(field, '$id: ID!', { id: 'ALM-NOPE' });
      expect(res.errors?.[0].extensions, field).toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await written()).toEqual(before);
  });
});

describe('clearAlarm', () => {
  it('should clear with the clear time, keep the severity, and be idempotent (one AlarmClearEvent)', async () => {
    const id = await raise('port-ar-001-02', { specificProblem: 'to clear', perceivedSeverity: 'CRITICAL' });
    const before = await stack.lastSeq();
    const first = await mutate('clearAlarm(id: $id)', '$id: ID!', { id });
    const cleared = first.data!.clearAlarm;
    expect(cleared).toMatchObject({ state: 'CLEARED', perceivedSeverity: 'CRITICAL' });
    expect(cleared.alarmClearedTime).not.toBeNull();
    const second = await mutate('clearAlarm(id: $id)', '$id: ID!', { id });
    expect(second.errors).toBeUndefined();
    expect(second.data!.clearAlarm).toEqual(cleared);
    const events = await stack.events(before);
    expect(events.map((e) => [e.eventType, e.previousState, e.state])).toEqual([['AlarmClearEvent', 'RAISED', 'CLEARED']]);
  });
});

describe('commentAlarm', () => {
  it('should append comments oldest first, each with one event', async () => {
    const id = await raise('acc-rtr-001');
    const before = await stack.lastSeq();
    await mutate('commentAlarm(id: $id, comment: "dispatching a field engineer", userId: "noc-ann")', '$id: ID!', { id });
    const res = await mutate('commentAlarm(id: $id, comment: "on site", systemId: "fsm")', '$id: ID!', { id });
    expect(res.data!.commentAlarm.comments.map((c) => [c.comment, c.userId])).toEqual([['dispatching a field engineer', 'noc-ann'], ['on site', null]]);
    expect((await stack.events(before)).map((e) => e.eventType)).toEqual(['AlarmAttributeValueChangeEvent', 'AlarmAttributeValueChangeEvent']);
  });

  it('should refuse an empty comment with BAD_USER_INPUT and write nothing', async () => {
    const id = await raise('acc-rtr-001', { specificProblem: 'empty comment' });
    const before = await written();
    const res = await mutate('commentAlarm(id: $id, comment: "   ")', '$id: ID!', { id });
    expect(res.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'comment' });
    expect(await written()).toEqual(before);
  });
});

describe('bulk operations by pattern', () => {
  const BULK = (op: string) => `mutation ($pattern: AlarmPattern!) { ${op} { matched changed } }`;

  it('should acknowledge a root cause and its children, then change nothing when repeated', async () => {
    // agg-rtr-002 relies on fibre-002; its access routers rely on it: one group.
    const root = await raise('fibre-002', { probableCause: 'lossOfSignal', alarmRaisedTime: at(3) });
    const kids = [await raise('agg-rtr-002', { alarmRaisedTime: at(3, 1) }), await raise(accessRouterBehindFibre2, { alarmRaisedTime: at(3, 1) })];
    const before = await stack.lastSeq();
    const res = await stack.query<{ acknowledgeAlarms: { matched: number; changed: number } }>(BULK('acknowledgeAlarms(pattern: $pattern, ackUserId: "noc-ann")'), { pattern: { rootCauseAlarmId: root } });
    expect(res.data!.acknowledgeAlarms).toEqual({ matched: 3, changed: 3 });
    const events = await stack.events(before);
    expect(events.map((e) => e.alarmId).sort()).toEqual([root, ...kids].sort());
    expect(events.every((e) => e.eventType === 'AlarmAttributeValueChangeEvent' && e.ackState === 'ACKNOWLEDGED')).toBe(true);
    const again = await stack.query<{ acknowledgeAlarms: { matched: number; changed: number } }>(BULK('acknowledgeAlarms(pattern: $pattern)'), { pattern: { rootCauseAlarmId: root } });
    expect(again.data!.acknowledgeAlarms).toEqual({ matched: 3, changed: 0 });
    expect(await stack.lastSeq()).toBe(events[events.length - 1].seq);
  });

  it('should clear by resource and probable cause, counting the already cleared as matched only', async () => {
    const a = await raise('olt-003', { probableCause: 'powerProblems', specificProblem: 'PSU A', alarmRaisedTime: at(5) });
    await raise('olt-003', { probableCause: 'powerProblems', specificProblem: 'PSU B', alarmRaisedTime: at(5) });
    await raise('olt-003', { probableCause: 'linkFailure', specificProblem: 'other cause', alarmRaisedTime: at(5) });
    await mutate('clearAlarm(id: $id)', '$id: ID!', { id: a });
    const before = await stack.lastSeq();
    const res = await stack.query<{ clearAlarms: { matched: number; changed: number } }>(BULK('clearAlarms(pattern: $pattern)'), { pattern: { resourceId: 'olt-003', probableCause: 'powerProblems' } });
    expect(res.data!.clearAlarms).toEqual({ matched: 2, changed: 1 });
    expect((await stack.events(before)).map((e) => e.eventType)).toEqual(['AlarmClearEvent']);
    expect(await stack.models.Alarm.countDocuments({ resourceId: 'olt-003', state: { $ne: 'CLEARED' } })).toBe(1);
  });

  it('should comment every alarm at least as severe as asked, of a type', async () => {
    await raise('site-002', { alarmType: 'ENVIRONMENTAL_ALARM', probableCause: 'temperatureUnacceptable', perceivedSeverity: 'CRITICAL', alarmRaisedTime: at(6) });
    await raise('site-003', { alarmType: 'ENVIRONMENTAL_ALARM', probableCause: 'temperatureUnacceptable', perceivedSeverity: 'WARNING', alarmRaisedTime: at(6) });
    const expected = await stack.models.Alarm.countDocuments({ alarmType: 'ENVIRONMENTAL_ALARM', perceivedSeverity: { $in: ['CRITICAL', 'MAJOR'] } });
    const res = await stack.query<{ commentAlarms: { matched: number; changed: number } }>(
      BULK('commentAlarms(pattern: $pattern, comment: "heatwave: check cooling", userId: "noc-ann")'), { pattern: { alarmType: 'ENVIRONMENTAL_ALARM', minSeverity: 'MAJOR' } });
    expect(res.data!.commentAlarms).toEqual({ matched: expected, changed: expected });
    const site2 = await stack.models.Alarm.findOne({ resourceId: 'site-002', probableCause: 'temperatureUnacceptable' }).lean();
    expect(site2!.comments.map((c) => c.comment)).toEqual(['heatwave: check cooling']);
  });

  it('should refuse an empty pattern (BAD_USER_INPUT) and an unknown root cause (NOT_FOUND), writing nothing', async () => {
    const before = await written();
    const empty = await stack.query(BULK('clearAlarms(pattern: $pattern)'), { pattern: {} });
    expect(empty.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'pattern' });
    const unknown = await stack.query(BULK('acknowledgeAlarms(pattern: $pattern)'), { pattern: { rootCauseAlarmId: 'ALM-NOPE' } });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(await written()).toEqual(before);
  });
});
