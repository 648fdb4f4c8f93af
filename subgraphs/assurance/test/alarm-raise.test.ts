import { describe, expect, it } from 'vitest';
import { expectBadUserInput } from '../../../kit/test-suite.js';
import { generateWorld } from '../../../seed/generate.js';
import { useAlarmStack } from './alarm-stack.js';

/**
 * Raising alarms (TMF642 create) on the seed topology through the real assurance subgraph, with
 * the real inventory answering the topology: creation, validation (nothing written on bad
 * input), deduplication into UPDATED, the batch mutation, and the outbox event of each change.
 */
const stack = useAlarmStack(() => generateWorld('small'));

const RAISE = `mutation ($input: RaiseAlarmInput!) { raiseAlarm(input: $input) {
  id state perceivedSeverity probableCause specificProblem alarmType count alarmRaisedTime alarmChangedTime serviceAffecting
  isRootCause ackState externalAlarmId sourceSystemId alarmedObject { id } crossedThresholdInformation { threshold indicatorName } } }`;

interface Raised { raiseAlarm: { id: string; state: string; count: number; perceivedSeverity: string; alarmChangedTime: string | null; isRootCause: boolean } }

/** A time far from the seed's alarms and from other tests' (each test its own hour). */
const at = (hour: number, minute = 0) => new Date(Date.UTC(2031, 0, 1, hour, minute)).toISOString();

const input = (over: Record<string, unknown> = {}) => ({
  resourceId: 'cell-001-2', perceivedSeverity: 'MAJOR', probableCause: 'thresholdCrossed', alarmType: 'QUALITY_OF_SERVICE_ALARM', ...over,
});

/** Counts of what a refused operation must not have written. */
async function written() {
  return { alarms: await stack.models.Alarm.countDocuments(), faults: await stack.models.AlarmFault.countDocuments(), seq: await stack.lastSeq() };
}

describe('raiseAlarm', () => {
  it('should create a RAISED alarm on an inventory resource with one AlarmCreateEvent', async () => {
    const before = await stack.lastSeq();
    const res = await stack.query<Raised>(RAISE, { input: input({
      specificProblem: 'Downlink throughput below 50 Mbps', externalAlarmId: 'ENM-1', sourceSystemId: 'ericsson-enm', serviceAffecting: true, alarmRaisedTime: at(1),
      crossedThresholdInformation: { threshold: '50', direction: 'DOWN', indicatorName: 'THROUGHPUT', observedValue: '31', granularity: 'G_15MN' },
    }) });
    expect(res.errors).toBeUndefined();
    const alarm = res.data!.raiseAlarm;
    expect(alarm).toMatchObject({
      state: 'RAISED', perceivedSeverity: 'MAJOR', probableCause: 'thresholdCrossed', specificProblem: 'Downlink throughput below 50 Mbps', alarmType: 'QUALITY_OF_SERVICE_ALARM',
      count: 1, alarmRaisedTime: at(1), alarmChangedTime: null, serviceAffecting: true, ackState: 'UNACKNOWLEDGED', externalAlarmId: 'ENM-1', sourceSystemId: 'ericsson-enm',
      alarmedObject: { id: 'cell-001-2' }, crossedThresholdInformation: { threshold: '50', indicatorName: 'throughput' },
    });
    const events = await stack.events(before);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ eventType: 'AlarmCreateEvent', alarmId: alarm.id, resourceId: 'cell-001-2', state: 'RAISED', previousState: null, count: 1, seq: before + 1 });
    expect(events[0].eventId).toBe(events[0]._id);
  });

  it('should default serviceAffecting to false and the raise time to now', async () => {
    const t0 = Date.now();
    const res = await stack.query<{ raiseAlarm: { alarmRaisedTime: string; serviceAffecting: boolean } }>(RAISE, { input: input({ specificProblem: 'defaults' }) });
    expect(res.data!.raiseAlarm.serviceAffecting).toBe(false);
    expect(new Date(res.data!.raiseAlarm.alarmRaisedTime).getTime()).toBeGreaterThanOrEqual(t0 - 1);
  });

  it('should refuse a resource the inventory does not know with BAD_USER_INPUT naming input.resourceId, writing nothing', async () => {
    const before = await written();
    const res = await stack.query(RAISE, { input: input({ resourceId: 'no-such-resource' }) });
    expectBadUserInput(res, 'input');
    expect(res.errors![0].extensions).toMatchObject({ field: 'input.resourceId' });
    expect(await written()).toEqual(before);
  });

  it('should refuse a CLEARED severity, an empty probable cause and an incomplete threshold, naming the field, writing nothing', async () => {
    const before = await written();
    const cases: [Record<string, unknown>, string][] = [
      [{ perceivedSeverity: 'CLEARED' }, 'input.perceivedSeverity'],
      [{ probableCause: '  ' }, 'input.probableCause'],
      [{ crossedThresholdInformation: { threshold: '1', direction: 'UP', indicatorName: '', observedValue: '2' } }, 'input.crossedThresholdInformation.indicatorName'],
    ];
    for (const [over, field] of cases) {
      const res = await stack.query(RAISE, { input: input(over) });
      expect(res.errors?.[0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    expect(await written()).toEqual(before);
  });

  it('should refuse an invalid severity, type or time as a validation error, writing nothing', async () => {
    const before = await written();
    for (const over of [{ perceivedSeverity: 'SEVERE' }, { alarmType: 'FIRE' }, { alarmRaisedTime: 'yesterday' }]) {
      const res = await stack.query(RAISE, { input: input(over) });
      expect(res.errors?.[0].extensions?.code, JSON.stringify(over)).toBe('BAD_USER_INPUT');
    }
    expect(await written()).toEqual(before);
  });
});

describe('deduplication', () => {
  it('should fold a repeated report of an active fault into it: UPDATED, count, severity and change time, one event each', async () => {
    const before = await stack.lastSeq();
    const fault = { resourceId: 'cell-001-3', probableCause: 'lossOfSignal', alarmType: 'COMMUNICATIONS_ALARM', specificProblem: 'CPRI link down' };
    const first = await stack.query<Raised>(RAISE, { input: { ...fault, perceivedSeverity: 'MINOR', alarmRaisedTime: at(2) } });
    const second = await stack.query<Raised>(RAISE, { input: { ...fault, perceivedSeverity: 'CRITICAL', alarmRaisedTime: at(2, 1) } });
    const third = await stack.query<Raised>(RAISE, { input: { ...fault, perceivedSeverity: 'MAJOR', alarmRaisedTime: at(2, 2) } });
    const id = first.data!.raiseAlarm.id;
    expect(second.data!.raiseAlarm).toMatchObject({ id, state: 'UPDATED', count: 2, perceivedSeverity: 'CRITICAL', alarmChangedTime: at(2, 1) });
    expect(third.data!.raiseAlarm).toMatchObject({ id, state: 'UPDATED', count: 3, perceivedSeverity: 'MAJOR', alarmChangedTime: at(2, 2) });
    expect(await stack.models.Alarm.countDocuments({ resourceId: 'cell-001-3', probableCause: 'lossOfSignal' })).toBe(1);
    const events = await stack.events(before);
    expect(events.map((e) => [e.eventType, e.previousState, e.state, e.count])).toEqual([
      ['AlarmCreateEvent', null, 'RAISED', 1], ['AlarmStateChangeEvent', 'RAISED', 'UPDATED', 2], ['AlarmAttributeValueChangeEvent', 'UPDATED', 'UPDATED', 3],
    ]);
  });

  it('should raise a new alarm for another specific problem, and for the same fault once it cleared', async () => {
    const fault = input({ resourceId: 'cell-002-1', specificProblem: 'PRB above 85 %', alarmRaisedTime: at(3) });
    const a = (await stack.query<Raised>(RAISE, { input: fault })).data!.raiseAlarm.id;
    const b = (await stack.query<Raised>(RAISE, { input: { ...fault, specificProblem: 'PRB above 95 %' } })).data!.raiseAlarm.id;
    expect(b).not.toBe(a);
    await stack.query(`mutation ($id: ID!) { clearAlarm(id: $id) { id } }`, { id: a });
    const c = (await stack.query<Raised>(RAISE, { input: fault })).data!.raiseAlarm;
    expect(c.id).not.toBe(a);
    expect(c).toMatchObject({ state: 'RAISED', count: 1 });
  });

  it('should fold repeats inside one batch too', async () => {
    const fault = input({ resourceId: 'cell-002-2', specificProblem: 'batch repeat', alarmRaisedTime: at(4) });
    const res = await stack.query<{ raiseAlarms: { alarm: { id: string; count: number; state: string } }[] }>(
      `mutation ($inputs: [RaiseAlarmInput!]!) { raiseAlarms(inputs: $inputs) { alarm { id count state } } }`, { inputs: [fault, fault, fault] });
    const ids = new Set(res.data!.raiseAlarms.map((r) => r.alarm.id));
    expect(ids.size).toBe(1);
    expect(res.data!.raiseAlarms[2].alarm).toMatchObject({ count: 3, state: 'UPDATED' });
  });
});

describe('raiseAlarms', () => {
  it('should store the good inputs and answer each bad one with its error, in order', async () => {
    const before = await written();
    const res = await stack.query<{ raiseAlarms: { alarm: { id: string; alarmedObject: { id: string } } | null; error: { code: string; field: string | null; message: string } | null }[] }>(
      `mutation ($inputs: [RaiseAlarmInput!]!) { raiseAlarms(inputs: $inputs) { alarm { id alarmedObject { id } } error { code field message } } }`,
      { inputs: [
        input({ resourceId: 'cell-003-1', specificProblem: 'good 1', alarmRaisedTime: at(5) }),
        input({ resourceId: 'ghost-1', specificProblem: 'unknown resource' }),
        input({ resourceId: 'cell-003-2', perceivedSeverity: 'CLEARED' }),
        input({ resourceId: 'cell-003-3', specificProblem: 'good 2', alarmRaisedTime: at(5) }),
      ] });
    expect(res.errors).toBeUndefined();
    const results = res.data!.raiseAlarms;
    expect(results.map((r) => r.alarm?.alarmedObject.id ?? null)).toEqual(['cell-003-1', null, null, 'cell-003-3']);
    expect(results[1].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'resourceId' });
    expect(results[2].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'perceivedSeverity' });
    const after = await written();
    expect(after).toEqual({ alarms: before.alarms + 2, faults: before.faults + 2, seq: before.seq + 2 });
  });
});
