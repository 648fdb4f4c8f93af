import { randomUUID } from 'node:crypto';
import type { ClientSession } from 'mongoose';
import type { OutboxModels } from './model.js';

export { outboxModels, type OutboxModels } from './model.js';

const OUTBOX_COUNTER = 'outbox';

/** An event to append: its type, time and payload; the envelope (`_id`, `eventId`, `seq`) is added here. */
export interface NewEvent {
  eventType: string;
  eventTime: Date;
  [field: string]: unknown;
}

/** An event as stored in the assurance outbox. */
export interface StoredEvent extends NewEvent {
  _id: string;
  eventId: string;
  seq: number;
}

/**
 * Appends events to the assurance outbox through `session` (call it inside the transaction that
 * makes the changes), in the given order, numbered with consecutive `seq` values taken from the
 * counter by ONE `$inc` however many there are. Inside a transaction the counter document is
 * a write lock: a concurrent writer conflicts and retries after this commit, so `seq` order is
 * commit order. Resolves with the stored events.
 */
export async function appendEvents(models: OutboxModels, session: ClientSession | null, events: readonly NewEvent[]): Promise<StoredEvent[]> {
  if (!events.length) return [];
  const counter = await models.Counter.findOneAndUpdate(
    { _id: OUTBOX_COUNTER },
    // The epoch is drawn once, when the counter is created: `<epoch>-<seq>` stays unique even
    // if this database is ever recreated and numbering starts again (consumers dedupe on eventId).
    { $inc: { seq: events.length }, $setOnInsert: { epoch: randomUUID().slice(0, 8) } },
    { upsert: true, returnDocument: 'after', session, lean: true },
  ).exec();
  const first = counter!.seq - events.length + 1;
  // `_id` first: a document whose `_id` is not its first field is rebuilt by the server on insert.
  const stored = events.map((e, i): StoredEvent => {
    const eventId = `${counter!.epoch}-${first + i}`;
    return { _id: eventId, eventId, seq: first + i, ...e };
  });
  // Lean: the envelope is complete and the payload free-form; hydrating 1,000s of events per batch would dominate.
  await models.AssuranceEvent.insertMany(stored, { session, lean: true, ordered: true });
  return stored;
}
