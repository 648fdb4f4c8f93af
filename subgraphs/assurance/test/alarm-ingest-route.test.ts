import { describe, expect, it } from 'vitest';
import { generateWorld } from '../../../seed/generate.js';
import { useAlarmStack } from './alarm-stack.js';

/**
 * `POST /alarms`, the EMS feed: NDJSON in, one NDJSON answer per non-blank line, good lines
 * stored whatever the bad ones around them, thousands per request.
 */
const world = generateWorld('small');
const stack = useAlarmStack(() => world);

const at = (minute: number) => new Date(Date.UTC(2031, 3, 1, 8, minute)).toISOString();
const line = (over: Record<string, unknown>) =>
  JSON.stringify({ resourceId: 'gNB-002', perceivedSeverity: 'MINOR', probableCause: 'equipmentMalfunction', alarmType: 'EQUIPMENT_ALARM', alarmRaisedTime: at(0), ...over });

type Answer = { line: number; id?: string; state?: string; error?: { code: string; message: string; field: string | null } };

async function post(body: string): Promise<{ status: number; type: string | null; answers: Answer[] }> {
  const res = await stack.post('/alarms', body);
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), answers: text.trim() ? text.trim().split('\n').map((l) => JSON.parse(l) as Answer) : [] };
}

describe('POST /alarms', () => {
  it('should store the good lines and answer every line in order, bad ones with their error', async () => {
    const before = await stack.models.Alarm.countDocuments();
    const body = [
      line({ specificProblem: 'fan 1' }),
      '{"resourceId": "gNB-002", ',
      '',
      line({ specificProblem: 'fan 1' }),
      line({ resourceId: 'gNB-404' }),
      line({ perceivedSeverity: 'BAD' }),
      line({ colour: 'red' }),
      '[1, 2]',
      line({ specificProblem: 'fan 2', serviceAffecting: 'yes' }),
      line({ specificProblem: 'fan 3' }),
    ].join('\n');
    const { status, type, answers } = await post(body);
    expect(status).toBe(200);
    expect(type).toContain('application/x-ndjson');
    expect(answers.map((a) => a.line)).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10]);
    expect(answers[0]).toMatchObject({ state: 'UPDATED' });
    expect(answers[2]).toEqual({ line: 4, id: answers[0].id, state: 'UPDATED' });
    expect(answers[1].error).toMatchObject({ code: 'BAD_USER_INPUT', field: null });
    expect(answers[3].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'resourceId' });
    expect(answers[4].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'perceivedSeverity' });
    expect(answers[5].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'colour' });
    expect(answers[6].error).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(answers[7].error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'serviceAffecting' });
    expect(answers[8]).toMatchObject({ line: 10, state: 'RAISED' });
    expect(await stack.models.Alarm.countDocuments()).toBe(before + 2);
    const fan1 = await stack.alarm(answers[0].id!);
    expect(fan1).toMatchObject({ resourceId: 'gNB-002', specificProblem: 'fan 1', count: 2, state: 'UPDATED' });
  });

  it('should take thousands of alarms in one request, stored batch by batch', async () => {
    const onts = world.resources.filter((r) => r.category === 'ONT').map((r) => r.id);
    const lines = Array.from({ length: 2500 }, (_, i) => line({ resourceId: onts[i % onts.length], probableCause: 'lossOfSignal', alarmType: 'COMMUNICATIONS_ALARM', specificProblem: `dying gasp ${Math.floor(i / onts.length)}`, alarmRaisedTime: at(10) }));
    const before = await stack.lastSeq();
    const { answers } = await post(lines.join('\n') + '\n');
    expect(answers).toHaveLength(2500);
    expect(answers.every((a, i) => a.line === i + 1 && a.id && !a.error)).toBe(true);
    expect(new Set(answers.map((a) => a.id)).size).toBe(2500);
    expect(await stack.lastSeq()).toBe(before + 2500);
  });

  it('should answer an empty body with nothing, and refuse other methods', async () => {
    expect((await post('')).answers).toEqual([]);
    const get = await fetch(stack.assurance.url.replace(/\/graphql$/, '/alarms'));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('should answer a batch that needs an unreachable inventory with SUBGRAPH_UNAVAILABLE per line, storing none of it', async () => {
    await stack.inventory.stop();
    const before = await stack.models.Alarm.countDocuments();
    const { status, answers } = await post([line({ specificProblem: 'known resource' }), line({ resourceId: 'not-in-the-replica' })].join('\n'));
    expect(status).toBe(200);
    expect(answers.map((a) => a.error?.code)).toEqual(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_UNAVAILABLE']);
    expect(await stack.models.Alarm.countDocuments()).toBe(before);
    // Resources the replica knows need no inventory: a feed of them goes on during the outage.
    const alone = await post(line({ specificProblem: 'during the outage' }));
    expect(alone.answers[0]).toMatchObject({ state: 'RAISED' });
  });
});
