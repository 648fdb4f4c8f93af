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

/**
 * The feed URL of a subgraph from its GraphQL URL (`…/graphql` → `…/events`), resuming after
 * `cursor` when given.
 */
export function feedUrl(graphqlUrl: string, cursor?: string): string {
  const url = new URL(graphqlUrl);
  url.pathname = url.pathname.replace(/\/graphql\/?$/, '').replace(/\/$/, '') + '/events';
  if (cursor) url.searchParams.set('after', cursor);
  return url.toString();
}
