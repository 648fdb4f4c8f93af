import { badUserInput, notFound } from '../../../kit/errors.js';
import { severitiesAtLeast } from '../domain.js';
import type { AlarmDoc, Models } from '../models.js';
import { appendEvents } from '../outbox/index.js';
import { alarmEvent } from './events.js';
import type { Operation } from './lifecycle.js';
import type { AlarmPattern, BulkAlarmResult } from './types.js';

/** The MongoDB filter of a pattern; a pattern without any condition is BAD_USER_INPUT (it would touch every alarm ever raised). */
export function patternFilter(pattern: AlarmPattern): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  // The root cause itself and its group: "acknowledge everything this fibre cut raised".
  if (pattern.rootCauseAlarmId != null) filter.$or = [{ _id: pattern.rootCauseAlarmId }, { parentAlarmId: pattern.rootCauseAlarmId }];
  if (pattern.resourceId != null) filter.resourceId = pattern.resourceId;
  if (pattern.probableCause != null) filter.probableCause = pattern.probableCause;
  if (pattern.minSeverity != null) filter.perceivedSeverity = { $in: severitiesAtLeast(pattern.minSeverity) };
  if (pattern.alarmType != null) filter.alarmType = pattern.alarmType;
  if (!Object.keys(filter).length) throw badUserInput('pattern', 'set at least one of rootCauseAlarmId, resourceId, probableCause, minSeverity, alarmType');
  return filter;
}

/** The alarm as an update leaves it, computed in memory for its event ($set and $push are all operations use). */
function applied(alarm: AlarmDoc, update: Record<string, unknown>): AlarmDoc {
  const after = { ...alarm, ...(update.$set as Partial<AlarmDoc> | undefined) };
  const push = update.$push as Record<string, unknown> | undefined;
  for (const [field, value] of Object.entries(push ?? {})) Object.assign(after, { [field]: [...((alarm as Record<string, unknown>)[field] as unknown[]), value] });
  return after;
}

/**
 * Applies an operation to every alarm matching the pattern (TMF642 ackAlarms / clearAlarms /
 * commentAlarms) in ONE transaction, with one event per changed alarm. The operation makes the
 * same change to every alarm it changes at one instant, so all go out as one updateMany.
 * An unknown `rootCauseAlarmId` is NOT_FOUND (a typo must not look like "nothing to do").
 */
export function changeAlarms(models: Models, pattern: AlarmPattern, operation: Operation): Promise<BulkAlarmResult> {
  const filter = patternFilter(pattern);
  return models.Alarm.db.transaction(async (session) => {
    const now = new Date();
    if (pattern.rootCauseAlarmId != null && !(await models.Alarm.exists({ _id: pattern.rootCauseAlarmId }).session(session))) {
      throw notFound('Alarm', pattern.rootCauseAlarmId);
    }
    const matched = await models.Alarm.find(filter).session(session).batchSize(100_000).lean<AlarmDoc[]>().exec();
    const changes = matched.flatMap((alarm) => {
      const change = operation(alarm, now);
      return change ? [{ alarm, change }] : [];
    });
    if (changes.length) {
      await models.Alarm.updateMany({ _id: { $in: changes.map((c) => c.alarm._id) } }, changes[0].change.update, { session, timestamps: false }).exec();
      await appendEvents(models, session, changes.map(({ alarm, change }) => alarmEvent(change.eventType, applied(alarm, change.update), alarm.state, now)));
    }
    return { matched: matched.length, changed: changes.length };
  });
}
