import type { AnyBulkWriteOperation, ClientSession } from 'mongoose';
import { ACTIVE_ALARM_STATES } from '../domain.js';
import type { AlarmDoc, Models } from '../models.js';
import { appendEvents } from '../outbox/index.js';
import { BatchCorrelator, faultKey, type BatchPlan, type TopologyView } from './correlate.js';
import type { ValidAlarm } from './types.js';

const ACTIVE = { $in: [...ACTIVE_ALARM_STATES] };

/** A value as a grouping key (cheaper than JSON.stringify of a whole update, per alarm of a big adoption). */
const valueKey = (v: unknown): string => (v instanceof Date ? `d${v.getTime()}` : typeof v === 'object' && v !== null ? JSON.stringify(v) : `${typeof v}:${String(v)}`);

/**
 * Stores one batch of valid reports on known resources, deduplicated and correlated, with their
 * events, in ONE transaction: a batch is stored whole or not at all. Reads are a few commands
 * however large the batch (see `activeContext`); writes are one bulkWrite of updates, inserts of
 * the new alarms and their register entries, and one insert of the events. A write conflict with
 * another writer (another instance, a clear) makes mongoose run the whole function again on a
 * fresh snapshot. Returns the alarm of each report, in order.
 */
export function storeBatch(models: Models, topology: TopologyView, windowMs: number, reports: readonly ValidAlarm[]): Promise<AlarmDoc[]> {
  return models.Alarm.db.transaction(async (session) => {
    const now = new Date();
    const context = await activeContext(models, session, topology, windowMs, reports);
    const correlator = new BatchCorrelator(topology, windowMs, now, context.active);
    const alarms = reports.map((r) => correlator.raise(r));
    await write(models, session, correlator.plan(), context.registered);
    return alarms;
  });
}

const find = (models: Models, session: ClientSession, filter: Record<string, unknown>) =>
  models.Alarm.find(filter).session(session).batchSize(100_000).lean<AlarmDoc[]>().exec();

/** What a batch starts from: the active alarms it can touch and the faults already in the register. */
interface BatchContext {
  active: AlarmDoc[];
  registered: Set<string>;
}

/**
 * The active alarms a batch can touch, in three or four commands whatever its size:
 * 1. the register entries of the reports' faults (`_id` lookups);
 * 2. the active alarms they name (deduplication) and every active alarm on the reports'
 *    ancestors (groups to join);
 * 3. for reports that may become roots (new faults with nothing active above them within the
 *    window, on a resource with something below it), the active alarms below them (to adopt) —
 *    only when there are such reports — and their active parents not loaded yet.
 */
async function activeContext(models: Models, session: ClientSession, topology: TopologyView, windowMs: number, reports: readonly ValidAlarm[]): Promise<BatchContext> {
  const faults = [...new Set(reports.map(faultKey))];
  const registered = await models.AlarmFault.find({ _id: { $in: faults } }).session(session).lean<{ _id: string; alarmId: string }[]>().exec();
  const ancestors = [...new Set(reports.flatMap((r) => topology.ancestors(r.resourceId)))];
  // `state` inside each branch: with it beside the `$or`, a planner may first walk the state
  // index over every active alarm of a storm (100,000s) before settling for the branches' indexes.
  const branches: Record<string, unknown>[] = [{ _id: { $in: registered.map((f) => f.alarmId) }, state: ACTIVE }];
  if (ancestors.length) branches.push({ resourceId: { $in: ancestors }, state: ACTIVE });
  const loaded = new Map((await find(models, session, { $or: branches })).map((d) => [d._id, d]));

  const knownFaults = new Set([...loaded.values()].map(faultKey));
  const byResource = new Map<string, AlarmDoc[]>();
  for (const d of loaded.values()) byResource.set(d.resourceId, [...(byResource.get(d.resourceId) ?? []), d]);
  const coveredAbove = (r: ValidAlarm) => topology.ancestors(r.resourceId).some((a) =>
    (byResource.get(a) ?? []).some((d) => Math.abs(d.alarmRaisedTime.getTime() - r.alarmRaisedTime.getTime()) <= windowMs));
  const mayAdopt = reports.filter((r) => !knownFaults.has(faultKey(r)) && topology.hasDescendants(r.resourceId) && !coveredAbove(r));
  const registeredFaults = new Set(registered.map((f) => f._id));
  if (!mayAdopt.length) return { active: [...loaded.values()], registered: registeredFaults };

  const below = new Set(mayAdopt.flatMap((r) => topology.descendants(r.resourceId)));
  for (const d of await find(models, session, { resourceId: { $in: [...below] }, state: ACTIVE })) loaded.set(d._id, d);
  const parents = [...new Set([...loaded.values()].flatMap((d) => (d.parentAlarmId && !loaded.has(d.parentAlarmId) ? [d.parentAlarmId] : [])))];
  if (parents.length) for (const d of await find(models, session, { _id: { $in: parents }, state: ACTIVE })) loaded.set(d._id, d);
  return { active: [...loaded.values()], registered: registeredFaults };
}

/**
 * Writes a plan, in an order that suits the embedded server's transactions, where every update
 * inside a transaction looks through the writes it already buffered in that collection:
 * per-alarm updates first (while that set is small), then everything else as inserts or single
 * multi-document updates. Changes that set the same values (hundreds of children re-parented
 * under one new root) go out as one updateMany; a deduplicated alarm needs its own (its count).
 */
async function write(models: Models, session: ClientSession, plan: BatchPlan, registered: Set<string>): Promise<void> {
  const groups = new Map<string, { set: Record<string, unknown>; ids: string[] }>();
  for (const { doc, fields } of plan.updates) {
    const set = Object.fromEntries(fields.map((f) => [f, doc[f]]));
    const key = fields.map((f) => `${f}=${valueKey(doc[f])}`).sort().join('\u0000');
    const group = groups.get(key);
    if (group) group.ids.push(doc._id);
    else groups.set(key, { set, ids: [doc._id] });
  }
  const ops: AnyBulkWriteOperation<AlarmDoc>[] = [...groups.values()].map(({ set, ids }) =>
    ids.length === 1 ? { updateOne: { filter: { _id: ids[0] }, update: { $set: set } } } : { updateMany: { filter: { _id: { $in: ids } }, update: { $set: set } } });
  if (ops.length) await models.Alarm.bulkWrite(ops, { session, ordered: true, timestamps: false });
  if (plan.inserts.length) {
    // Each new alarm becomes its fault's current one in the register: the write two creators of
    // one fault conflict on. Replaced as delete + insert: an upsert per fault would be quadratic.
    const register = plan.inserts.map((a) => ({ _id: faultKey(a), alarmId: a._id }));
    const stale = register.filter((r) => registered.has(r._id)).map((r) => r._id);
    if (stale.length) await models.AlarmFault.deleteMany({ _id: { $in: stale } }, { session });
    await models.AlarmFault.insertMany(register, { session, lean: true, ordered: true });
    // Lean: the documents are complete (correlate.ts builds every field); mongoose hydration would double the cost.
    await models.Alarm.insertMany(plan.inserts, { session, lean: true, ordered: true });
  }
  await appendEvents(models, session, plan.events);
}
