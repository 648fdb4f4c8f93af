import type { Client } from 'graphql-ws';
import { graphqlRequest } from '../../../kit/testing.js';
import { Recorder } from '../../order/test/ws-recorder.js';

/** Test helpers for the live alarm streams: raising and clearing alarms through the real API, watching the stream. */

export interface AlarmChange {
  cursor: string;
  eventType: string;
  state: string;
  previousState: string | null;
  perceivedSeverity: string;
  at: string;
  coalesced: number;
  alarm: { id: string; state: string; perceivedSeverity: string; count: number; alarmedObject: { id: string } };
}

export const WATCH_ALARMS = `subscription ($minSeverity: PerceivedSeverity, $resourceId: ID, $after: String) {
  alarmChanged(minSeverity: $minSeverity, resourceId: $resourceId, after: $after) {
    cursor eventType state previousState perceivedSeverity at coalesced
    alarm { id state perceivedSeverity count alarmedObject { id } } } }`;

/** Watches `alarmChanged` with these arguments. */
export function watchAlarms(client: Client, args: { minSeverity?: string; resourceId?: string; after?: string } = {}): Recorder<{ alarmChanged: AlarmChange }> {
  return new Recorder<{ alarmChanged: AlarmChange }>(client, WATCH_ALARMS, args);
}

export const changes = (r: Recorder<{ alarmChanged: AlarmChange }>) => r.events.map((e) => e.alarmChanged);

/** The outbox position a cursor names (cursors are opaque to clients; tests may look inside). */
export const seqOf = (cursor: string) => Number(/:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())![1]);

export interface RaiseInput {
  resourceId: string;
  perceivedSeverity: string;
  probableCause: string;
  specificProblem?: string;
  serviceAffecting?: boolean;
  alarmType?: string;
}

/** Raises (or, for an active fault, updates) an alarm through the assurance API. */
export async function raise(url: string, input: RaiseInput): Promise<{ id: string; state: string; count: number }> {
  const res = await graphqlRequest<{ raiseAlarm: { id: string; state: string; count: number } }>(url,
    `mutation ($input: RaiseAlarmInput!) { raiseAlarm(input: $input) { id state count } }`, { input: { alarmType: 'COMMUNICATIONS_ALARM', ...input } });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.raiseAlarm;
}

/** Raises many alarms in one request (one batch, one transaction). */
export async function raiseMany(url: string, inputs: RaiseInput[]): Promise<{ id: string; state: string; count: number }[]> {
  const res = await graphqlRequest<{ raiseAlarms: { alarm: { id: string; state: string; count: number } | null; error: unknown }[] }>(url,
    `mutation ($inputs: [RaiseAlarmInput!]!) { raiseAlarms(inputs: $inputs) { alarm { id state count } error { code message field } } }`,
    { inputs: inputs.map((i) => ({ alarmType: 'COMMUNICATIONS_ALARM', ...i })) });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res.data!.raiseAlarms.map((r) => {
    if (!r.alarm) throw new Error(JSON.stringify(r.error));
    return r.alarm;
  });
}

export async function clear(url: string, id: string): Promise<void> {
  const res = await graphqlRequest(url, `mutation ($id: ID!) { clearAlarm(id: $id) { id state } }`, { id });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
