/**
 * The wire format of the outbox feed (`GET /events` on every subgraph), shared by the feed and
 * its consumers. One JSON object per line (NDJSON); events are bson EJSON (relaxed) so Dates and
 * other BSON values survive the trip.
 */

/** One outbox event as stored by its subgraph: a TMF-style envelope plus its own fields. */
export interface OutboxEvent {
  /** Globally unique: consumers dedupe on it (see `onceOnly`). */
  eventId: string;
  eventType: string;
  [field: string]: unknown;
}

/**
 * One line of the feed:
 * - `{ event }` — a stored event from the history (no cursor: the history is re-read on reconnect);
 * - `{ cursor }` — caught up: everything before this cursor has been sent;
 * - `{ cursor, event }` — a live event; resuming with `after=cursor` continues after it;
 * - `{}` — heartbeat, so a dead connection is noticed by the reader.
 */
export interface FeedLine {
  cursor?: string;
  event?: OutboxEvent;
}

/** Content type of the feed. */
export const NDJSON = 'application/x-ndjson';

/** How often the feed writes a heartbeat line. */
export const HEARTBEAT_MS = 5_000;

/** A consumer that hears nothing (not even a heartbeat) for this long drops the connection. */
export const SILENCE_MS = 3 * HEARTBEAT_MS;

/** A top-level field's value an event must have: JSON scalars only (equality, null ≡ missing). */
export type FeedScalar = string | number | boolean | null;

/**
 * Which events a consumer wants (`where=` of the feed, JSON): those matching ANY of the
 * conditions, a condition being equalities of top-level fields that must ALL hold, e.g.
 * `[{ "isRootCause": true }, { "state": "CLEARED" }]`. The feed filters in the database, so
 * events nobody asked for never travel; its cursor still moves past them (see feed.ts).
 */
export type FeedWhere = Record<string, FeedScalar>[];

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isScalar = (v: unknown): v is FeedScalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Parses and checks a `where=` value; throws a message for the client (400) when it is not a FeedWhere. */
export function parseFeedWhere(text: string): FeedWhere {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`'where' is not JSON`);
  }
  const ok = Array.isArray(value) && value.length > 0 && value.length <= 16 && value.every((c) =>
    c !== null && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length > 0 && Object.keys(c).length <= 8 &&
    Object.entries(c as Record<string, unknown>).every(([field, v]) => FIELD.test(field) && isScalar(v)));
  if (!ok) throw new Error(`'where' must be a list of 1 to 16 conditions, each 1 to 8 top-level fields with JSON scalar values`);
  return value as FeedWhere;
}

/**
 * The feed URL of a subgraph from its GraphQL URL (`…/graphql` → `…/events`), resuming after
 * `cursor` when given, only events matching `where` when given.
 */
export function feedUrl(graphqlUrl: string, cursor?: string, where?: FeedWhere): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '') + '/events';
  if (cursor) url.searchParams.set('after', cursor);
  if (where) url.searchParams.set('where', JSON.stringify(where));
  return url.toString();
}
