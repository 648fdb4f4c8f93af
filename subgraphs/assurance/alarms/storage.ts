import { ACTIVE_ALARM_STATES } from '../domain.js';
import { LEGACY_DEDUP_INDEX, type AlarmDoc, type Models } from '../models.js';
import { faultKey } from './correlate.js';

/**
 * One-off storage work at start-up (the module's `prepare`), idempotent:
 * - drops the unique `active_alarm_dedup` index of databases created before the fault register
 *   (it made batch inserts quadratic on the embedded server, see models.ts);
 * - registers the active alarms stored without the register (seeded worlds, older databases),
 *   so deduplication, which looks faults up in the register, finds them.
 */
export async function prepareAlarmStorage(models: Models): Promise<void> {
  const indexes = await models.Alarm.collection.indexes();
  if (indexes.some((i) => i.name === LEGACY_DEDUP_INDEX)) await models.Alarm.collection.dropIndex(LEGACY_DEDUP_INDEX);
  const active = await models.Alarm.find({ state: { $in: [...ACTIVE_ALARM_STATES] } }, { resourceId: 1, probableCause: 1, specificProblem: 1 }).lean<AlarmDoc[]>().exec();
  if (!active.length) return;
  const activeIds = new Set(active.map((a) => a._id));
  const registered = await models.AlarmFault.find({ _id: { $in: active.map(faultKey) } }).lean<{ _id: string; alarmId: string }[]>().exec();
  const current = new Set(registered.filter((f) => activeIds.has(f.alarmId)).map((f) => f._id));
  const missing = active.filter((a) => !current.has(faultKey(a)));
  if (!missing.length) return;
  await models.AlarmFault.bulkWrite(missing.map((a) => ({ updateOne: { filter: { _id: faultKey(a) }, update: { $set: { alarmId: a._id } }, upsert: true } })), { ordered: false });
}
