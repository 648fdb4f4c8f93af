import type { Client } from 'graphql-ws';
import { expect } from 'vitest';
import { eventually, watch, type Watch } from '../../gateway/test/helpers/ws-client.js';
import type { GraphQLResult } from '../../kit/testing.js';
import type { StackUnderTest } from './stack.js';

/** Assurance through the gateway, as a NOC portal or the CSR desk uses it: alarms, live streams, CRM outage notes. */

export const ALARM = `id state perceivedSeverity count isRootCause serviceAffecting alarmChangedTime parentAlarm { id } alarmedObject { id }`;

export interface Alarm {
  id: string;
  state: string;
  perceivedSeverity: string;
  count: number;
  isRootCause: boolean;
  serviceAffecting: boolean;
  alarmChangedTime: string | null;
  parentAlarm: { id: string } | null;
  alarmedObject: { id: string };
}

export interface RaiseInput {
  resourceId: string;
  perceivedSeverity: string;
  probableCause: string;
  alarmType?: string;
  specificProblem?: string;
  serviceAffecting?: boolean;
}

const withType = (i: RaiseInput) => ({ alarmType: 'COMMUNICATIONS_ALARM', ...i });

/** Raises (or, for an active fault, updates) one alarm through the gateway. */
export async function raise(app: StackUnderTest, input: RaiseInput): Promise<Alarm> {
  const res = await app.query<{ raiseAlarm: Alarm }>(`mutation ($input: RaiseAlarmInput!) { raiseAlarm(input: $input) { ${ALARM} } }`, { input: withType(input) });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.raiseAlarm;
}

/** Raises a batch of alarms in one request (an EMS feed); every input must be accepted. */
export async function raiseMany(app: StackUnderTest, inputs: RaiseInput[]): Promise<Alarm[]> {
  const res = await app.query<{ raiseAlarms: { alarm: Alarm | null; error: unknown }[] }>(
    `mutation ($inputs: [RaiseAlarmInput!]!) { raiseAlarms(inputs: $inputs) { alarm { ${ALARM} } error { code message field } } }`, { inputs: inputs.map(withType) });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.data!.raiseAlarms.filter((r) => r.error)).toEqual([]);
  return res.data!.raiseAlarms.map((r) => r.alarm!);
}

export async function clearAlarm(app: StackUnderTest, id: string): Promise<Alarm> {
  const res = await app.query<{ clearAlarm: Alarm }>(`mutation ($id: ID!) { clearAlarm(id: $id) { ${ALARM} } }`, { id });
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data!.clearAlarm;
}

/**
 * Subscribes through the gateway and waits until the operation is live upstream: a subscription
 * starts "from now", so an alarm raised before the assurance subgraph joined its stream would be
 * missed by design, and the test would blame the product.
 */
export async function subscribed(app: StackUnderTest, client: Client, query: string, variables: Record<string, unknown> = {}): Promise<Watch> {
  const upstream = app.stack.gateway.executor.upstream;
  const before = upstream.active;
  const w = watch(client, { query, variables });
  await eventually(() => upstream.active > before, 5000);
  // The upstream subscribe message is out; the subgraph still has to join its outbox stream.
  await new Promise((r) => setTimeout(r, 300));
  return w;
}

/** The payloads of a watch under `field`, failing on any GraphQL error the gateway forwarded. */
export function payloads<T>(w: Watch, field: string): T[] {
  expect(w.results.flatMap((r) => r.errors ?? [])).toEqual([]);
  return w.results.map((r) => (r.data as Record<string, T>)[field]);
}

/** The outbox position a stream cursor names (opaque to clients; a test may look inside to check order). */
export const seqOf = (cursor: string) => Number(/:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString())![1]);

export interface OutageNotes {
  /** Ids of the outage notifications about the watched alarms. */
  notices: string[];
  /** Ids of the closing notes ("outage resolved") about them. */
  closings: string[];
}

/**
 * Every customer's CRM interactions about these alarms, read through the gateway page by page
 * (all customers: "exactly once" includes "nobody else"). Seeded interactions about other
 * alarms (the seed world has an outage of its own) are not counted.
 */
export async function outageNotes(app: StackUnderTest, alarmIds: readonly string[]): Promise<Map<string, OutageNotes>> {
  type Page = { customers: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: { id: string;
    interactions: { totalCount: number; edges: { node: { id: string; reason: string; relatedEntity: { id: string }[] } }[] } } }[] } };
  const ours = new Set(alarmIds);
  const out = new Map<string, OutageNotes>();
  for (let after: string | null = null; ;) {
    const res: GraphQLResult<Page> = await app.query<Page>(`query ($after: String) { customers(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { id interactions(first: 100) { totalCount edges { node { id reason relatedEntity { id } } } } } } } }`, { after });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    for (const { node } of res.data!.customers.edges) {
      // One page must hold them all, or a duplicate could hide on the next one.
      expect(node.interactions.totalCount).toBeLessThanOrEqual(100);
      const about = node.interactions.edges.map((e) => e.node).filter((i) => i.relatedEntity.some((r) => ours.has(r.id)));
      out.set(node.id, {
        notices: about.filter((i) => i.reason === 'outage notification').map((i) => i.id),
        closings: about.filter((i) => i.reason === 'outage resolved').map((i) => i.id),
      });
    }
    if (!res.data!.customers.pageInfo.hasNextPage) return out;
    after = res.data!.customers.pageInfo.endCursor;
  }
}
