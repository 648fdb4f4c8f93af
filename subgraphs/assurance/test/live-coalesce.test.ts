import { describe, expect, it } from 'vitest';
import { CoalescingQueue, type Delivery } from '../live/coalesce.js';
import type { AlarmEvent } from '../live/events.js';
import { alarmCoalescing } from '../live/streams.js';

/**
 * The coalescing rule on its own, with explicit clocks: which change of which alarm goes out
 * when. (The live tests show the same over the real stack, where time is not controlled.)
 */
let seq = 0;
function change(alarmId: string, state: AlarmEvent['state'], previousState: AlarmEvent['previousState'] = 'RAISED'): AlarmEvent {
  seq += 1;
  return {
    _id: `e${seq}`, eventId: `e${seq}`, eventType: state === 'CLEARED' ? 'AlarmClearEvent' : 'AlarmStateChangeEvent', seq, eventTime: new Date(0),
    alarmId, resourceId: `R-${alarmId}`, state, previousState, perceivedSeverity: 'MAJOR', probableCause: 'lossOfSignal',
    serviceAffecting: false, isRootCause: false, parentAlarmId: null, alarmType: 'COMMUNICATIONS_ALARM', count: seq,
  };
}

/** Everything the queue hands out at `now`. */
function drain(q: CoalescingQueue<AlarmEvent>, now: number): Delivery<AlarmEvent>[] {
  const out: Delivery<AlarmEvent>[] = [];
  for (let t = q.take(now); t && 'delivery' in t; t = q.take(now)) out.push(t.delivery);
  return out;
}
const summary = (ds: Delivery<AlarmEvent>[]) => ds.map((d) => `${d.event.alarmId}:${d.event.state}:${d.event.seq}x${d.coalesced}`);

describe('CoalescingQueue', () => {
  it('should hand out the first change of an alarm at once and hold later ones for the window, keeping only the latest', () => {
    seq = 0;
    const q = new CoalescingQueue(alarmCoalescing(250));
    q.push(change('A', 'RAISED', null), 0);
    expect(summary(drain(q, 0))).toEqual(['A:RAISED:1x1']);
    for (let i = 0; i < 5; i++) q.push(change('A', 'UPDATED'), 10 + i);
    expect(q.take(100)).toEqual({ wait: 150 });
    const [d] = drain(q, 250);
    expect(summary([d])).toEqual(['A:UPDATED:6x5']);
    expect(d.previousState).toBe('RAISED');
  });

  it('should keep the order across alarms: a held change delays those behind it, cursors only grow', () => {
    seq = 0;
    const q = new CoalescingQueue(alarmCoalescing(250));
    q.push(change('A', 'RAISED', null), 0);
    drain(q, 0);
    q.push(change('A', 'UPDATED'), 10); // held until 250
    q.push(change('B', 'RAISED', null), 20);
    expect(drain(q, 20)).toEqual([]);
    q.push(change('A', 'UPDATED'), 30); // replaces the held one and moves behind B
    expect(summary(drain(q, 250))).toEqual(['B:RAISED:3x1', 'A:UPDATED:4x2']);
  });

  it('should never hold or replace a clear', () => {
    seq = 0;
    const q = new CoalescingQueue(alarmCoalescing(250));
    q.push(change('A', 'RAISED', null), 0);
    drain(q, 0);
    q.push(change('A', 'UPDATED'), 10);
    q.push(change('A', 'CLEARED', 'UPDATED'), 20);
    const [cleared] = drain(q, 20);
    expect(summary([cleared])).toEqual(['A:CLEARED:3x2']);
    expect(cleared.previousState).toBe('RAISED');
    q.push(change('A', 'CLEARED', 'CLEARED'), 30);
    q.push(change('A', 'UPDATED'), 31);
    expect(summary(drain(q, 400))).toEqual(['A:CLEARED:4x1', 'A:UPDATED:5x1']);
  });

  it('should coalesce nothing with a window of 0', () => {
    seq = 0;
    const q = new CoalescingQueue(alarmCoalescing(0));
    for (let i = 0; i < 3; i++) q.push(change('A', 'UPDATED'), 0);
    expect(summary(drain(q, 0))).toEqual(['A:UPDATED:1x1', 'A:UPDATED:2x1', 'A:UPDATED:3x1']);
  });
});
