import mongoose, { Schema } from 'mongoose';

/**
 * The assurance outbox (`events`): one document per change of an alarm or SLA violation, written
 * in the same transaction as the change. Fields beyond the envelope depend on the event type
 * (see alarms/events.ts), so the schema is not strict; writers insert lean documents.
 */
const eventSchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    /** Strictly increasing per database, from the `outbox` counter: what subscription cursors name. */
    seq: { type: Number, required: true },
    eventTime: { type: Date, required: true },
  },
  { collection: 'events', strict: false, versionKey: false },
);
// Replays read "after seq N" in seq order. Not unique (the counter already guarantees it): a
// unique secondary index makes batch inserts in a transaction quadratic on the embedded server.
eventSchema.index({ seq: 1 });

/** Named counters (`{ _id: 'outbox', seq, epoch }`): the source of event `seq` numbers and ids. */
const counterSchema = new Schema(
  { _id: { type: String, required: true }, seq: { type: Number, required: true }, epoch: { type: String, required: true } },
  { collection: 'counters', versionKey: false },
);

/** The outbox models, bound to the assurance connection. */
export function outboxModels(conn: mongoose.Connection) {
  return {
    AssuranceEvent: conn.model('AssuranceEvent', eventSchema),
    Counter: conn.model('Counter', counterSchema),
  };
}

/** The outbox models (a part of the assurance models). */
export type OutboxModels = ReturnType<typeof outboxModels>;
