import { badUserInput, notFound } from '../../../kit/errors.js';
import type { AlarmDoc, Models } from '../models.js';
import { appendEvents } from '../outbox/index.js';
import { alarmEvent, type AlarmEventType } from './events.js';

/** A change an operation makes to one alarm: the update and the event that reports it. */
export interface AlarmChange {
  update: Record<string, unknown>;
  eventType: AlarmEventType;
}

/**
 * The operations on existing alarms, as pure decisions: what to change given the alarm as
 * stored, or null when nothing changes (no write, no event: clearing a cleared alarm,
 * acknowledging an acknowledged one). Shared by the single and the by-pattern mutations.
 */
export const operations = {
  acknowledge: (ackUserId: string | null, ackSystemId: string | null) => (a: AlarmDoc, now: Date): AlarmChange | null =>
    a.ackState === 'ACKNOWLEDGED' ? null : { update: { $set: { ackState: 'ACKNOWLEDGED', ackUserId, ackSystemId, alarmChangedTime: now, updatedAt: now } }, eventType: 'AlarmAttributeValueChangeEvent' },
  unacknowledge: () => (a: AlarmDoc, now: Date): AlarmChange | null =>
    a.ackState === 'UNACKNOWLEDGED' ? null : { update: { $set: { ackState: 'UNACKNOWLEDGED', ackUserId: null, ackSystemId: null, alarmChangedTime: now, updatedAt: now } }, eventType: 'AlarmAttributeValueChangeEvent' },
  // The alarm keeps the severity it had while raised (as the seed world does): the state says it cleared.
  clear: () => (a: AlarmDoc, now: Date): AlarmChange | null =>
    a.state === 'CLEARED' ? null : { update: { $set: { state: 'CLEARED', alarmClearedTime: now, alarmChangedTime: now, updatedAt: now } }, eventType: 'AlarmClearEvent' },
  comment: (comment: string, userId: string | null, systemId: string | null) => (_a: AlarmDoc, now: Date): AlarmChange => ({
    update: { $push: { comments: { comment, time: now, userId, systemId } }, $set: { alarmChangedTime: now, updatedAt: now } },
    eventType: 'AlarmAttributeValueChangeEvent',
  }),
};

/** The operation to apply to an alarm as stored at `now`. */
export type Operation = (alarm: AlarmDoc, now: Date) => AlarmChange | null;

/** A comment must say something; its length is bounded like every text an alarm stores. */
export function checkComment(argument: string, comment: string): string {
  if (comment.trim() === '') throw badUserInput(argument, 'must not be empty');
  if (comment.length > 4000) throw badUserInput(argument, 'must be at most 4000 characters');
  return comment;
}

/**
 * Applies an operation to one alarm: the change and its event in one transaction (a concurrent
 * change of the same alarm conflicts, and mongoose re-runs this on the new state). An unknown
 * id is NOT_FOUND; an operation that changes nothing returns the alarm as it is.
 */
export function changeAlarm(models: Models, id: string, operation: Operation): Promise<AlarmDoc> {
  return models.Alarm.db.transaction(async (session) => {
    const now = new Date();
    const alarm = await models.Alarm.findById(id).session(session).lean<AlarmDoc>().exec();
    if (!alarm) throw notFound('Alarm', id);
    const change = operation(alarm, now);
    if (!change) return alarm;
    const updated = await models.Alarm.findOneAndUpdate({ _id: id }, change.update, { returnDocument: 'after', session, timestamps: false }).lean<AlarmDoc>().exec();
    await appendEvents(models, session, [alarmEvent(change.eventType, updated!, alarm.state, now)]);
    return updated!;
  });
}
