import type { Collection } from 'mongodb';
import { insertChunked, onlyAlreadyStored } from '../../../kit/bulk-insert.js';
import { onceOnly } from '../../../kit/outbox/once.js';
import type { OutboxEvent } from '../../../kit/outbox/types.js';
import type { BackgroundDeps } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { childrenAmong, impactedCustomerIds } from './impacted.js';

/** Consumer name: keys the assurance feed cursor and this reaction's once-only markers. */
export const OUTAGE_CARE_CONSUMER = 'customer.outage-care';

export type OutageCareDeps = BackgroundDeps<Models>;

/** Interaction id of the outage notification of one customer for one incident (root-cause alarm). */
export const outageNoticeId = (alarmId: string, customerId: string) => `INT-OUT-${alarmId}-${customerId}`;
/** Interaction id of the closing note of that notification. */
export const outageClosingId = (alarmId: string, customerId: string) => `INT-OUTCLR-${alarmId}-${customerId}`;

/**
 * The open notice of a customer: which incident told them about an outage that is not over.
 * One per customer (`_id`): a customer already told about an outage is not told again by an
 * alarm that turns out to belong to the same fault (a child raised before its root cause is
 * re-parented when the root arrives; both were root causes for a moment). The root then takes
 * the notice over, so its clear closes it.
 */
interface OpenNotice {
  _id: string;
  /** The incident the notice belongs to now: its clear closes the notice. */
  alarmId: string;
  /** The alarm whose notification the customer got (names the closing note); alarmId when absent. */
  noticeAlarmId?: string;
  since: Date;
}

/** One incident as handled: for operations and tests. */
interface IncidentRecord {
  _id: string;
  resourceId: string;
  notified: number;
  notifiedAt: Date;
  closed?: number;
  closedAt?: Date;
}

/** What one delivery of an event did (tests and logs; the consumer only needs it not to throw). */
export type OutageCareOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate' }
  | { kind: 'notified'; alarmId: string; customers: number }
  | { kind: 'closed'; alarmId: string; customers: number };

const ACTIVE = new Set(['RAISED', 'UPDATED']);

const notices = (deps: OutageCareDeps) => deps.conn.db!.collection<OpenNotice>('outageNotices');
const incidents = (deps: OutageCareDeps) => deps.conn.db!.collection<IncidentRecord>('outageIncidents');
const markerDone = async (deps: OutageCareDeps, key: string) =>
  (await deps.conn.db!.collection<{ _id: string }>('processedEvents').countDocuments({ _id: `${OUTAGE_CARE_CONSUMER}:${key}` }, { limit: 1 })) > 0;

/** Storage this reaction needs; idempotent (run at every start). */
export async function prepareOutageCare(deps: OutageCareDeps): Promise<void> {
  await notices(deps).createIndex({ alarmId: 1 });
}

function date(v: unknown): Date {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : new Date();
}

/** Inserts, keeping what is stored already (another instance, or an earlier try, wrote it). */
async function insertIgnoringDuplicates<T extends { _id: string }>(collection: Collection<T>, docs: T[]): Promise<void> {
  if (!docs.length) return;
  try {
    await collection.insertMany(docs as never[], { ordered: false });
  } catch (err) {
    if (!onlyAlreadyStored(err, 'duplicate-id')) throw err;
  }
}

/**
 * Proactive care, fed by the assurance outbox: a service-affecting root-cause alarm that is
 * active tells every customer it hurts, once ("outage notification"); its clear closes what it
 * opened ("outage resolved"). Customers come from inventory's impact of the alarmed resource.
 *
 * Exactly once per customer and incident, with events delivered again, by several instances at
 * once, or after a crash half-way: every write is idempotent per document (claims keyed by
 * customer, interactions with ids derived from alarm and customer, duplicates ignored), and a
 * once-only marker per alarm and step, committed last, makes later deliveries cheap no-ops.
 */
export async function careForOutage(deps: OutageCareDeps, event: OutboxEvent): Promise<OutageCareOutcome> {
  const alarmId = typeof event.alarmId === 'string' ? event.alarmId : null;
  const resourceId = typeof event.resourceId === 'string' ? event.resourceId : null;
  if (!alarmId || !resourceId) return { kind: 'ignored', reason: `event ${event.eventId} names no alarm or resource` };
  const state = String(event.state);
  if (state === 'CLEARED') return closeOutage(deps, alarmId, resourceId, date(event.eventTime));
  if (!ACTIVE.has(state) || event.isRootCause !== true || event.serviceAffecting !== true) return { kind: 'ignored', reason: 'not an active service-affecting root cause' };
  return notifyOutage(deps, alarmId, resourceId, String(event.probableCause ?? 'a network fault'), date(event.eventTime));
}

async function notifyOutage(deps: OutageCareDeps, alarmId: string, resourceId: string, cause: string, at: Date): Promise<OutageCareOutcome> {
  // Repeated reports of a root cause (UPDATED) come by the thousand in a storm: one look, no call.
  if (await markerDone(deps, `notify:${alarmId}`)) return { kind: 'duplicate' };
  const impacted = await impactedCustomerIds(deps.config, [resourceId]);
  const known = (await deps.models.Customer.find({ _id: { $in: impacted } }, { _id: 1 }).lean()).map((c) => c._id);
  if (known.length < impacted.length) deps.log(`customer: outage ${alarmId} impacts ${impacted.length - known.length} customers unknown here; not notified`);
  // Claim first: only customers without an open notice (or already claimed by this alarm) are told.
  await insertIgnoringDuplicates(notices(deps), known.map((customerId) => ({ _id: customerId, alarmId, noticeAlarmId: alarmId, since: at })));
  await takeOverFromChildren(deps, alarmId, known);
  if (await markerDone(deps, `close:${alarmId}`)) {
    // Another instance got through the clear meanwhile: claims made after it would never close.
    await notices(deps).deleteMany({ alarmId });
    return { kind: 'duplicate' };
  }
  // Its own claims only: notices taken over from its children were sent by them.
  const claimed = (await notices(deps).find({ alarmId, $or: [{ noticeAlarmId: alarmId }, { noticeAlarmId: { $exists: false } }] }, { projection: { _id: 1 } }).toArray()).map((n) => n._id);
  await insertChunked(deps.models.Interaction, claimed.map((customerId) => ({
    _id: outageNoticeId(alarmId, customerId), customerId, channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'outage notification',
    description: `Service outage: ${cause} on ${resourceId} affects your services; our engineers are on it (alarm ${alarmId})`, createdAt: at,
    relatedEntity: [{ id: alarmId, referredType: 'Alarm', role: 'cause' }, { id: resourceId, referredType: 'Resource', role: 'alarmedObject' }],
  })), { validateFirstOfChunk: true, skip: 'duplicate-id' });
  const done = await onceOnly(deps.conn, OUTAGE_CARE_CONSUMER, `notify:${alarmId}`, (session) =>
    incidents(deps).insertOne({ _id: alarmId, resourceId, notified: claimed.length, notifiedAt: at }, { session }));
  return done === undefined ? { kind: 'duplicate' } : { kind: 'notified', alarmId, customers: claimed.length };
}

/**
 * Customers of this root cause told already, by an alarm that has since become one of its
 * children (raised first, re-parented when the root arrived): their notices now belong to the
 * root, so the root's clear closes them. Notices of an unrelated outage stay where they are.
 */
async function takeOverFromChildren(deps: OutageCareDeps, alarmId: string, customerIds: string[]): Promise<void> {
  const held = await notices(deps).distinct('alarmId', { _id: { $in: customerIds }, alarmId: { $ne: alarmId } });
  const children = await childrenAmong(deps.config, alarmId, held);
  if (children.length) await notices(deps).updateMany({ alarmId: { $in: children } }, { $set: { alarmId } });
}

async function closeOutage(deps: OutageCareDeps, alarmId: string, resourceId: string, at: Date): Promise<OutageCareOutcome> {
  if (await markerDone(deps, `close:${alarmId}`)) return { kind: 'duplicate' };
  const open = (await notices(deps).find({ alarmId }, { projection: { _id: 1, noticeAlarmId: 1 } }).toArray()).map((n) => ({ customerId: n._id, noticeAlarmId: n.noticeAlarmId ?? alarmId }));
  // Most cleared alarms never notified anyone: no marker for them, or a storm leaves one per alarm.
  if (!open.length && !(await markerDone(deps, `notify:${alarmId}`))) return { kind: 'ignored', reason: 'the alarm notified nobody' };
  await insertChunked(deps.models.Interaction, open.map(({ customerId, noticeAlarmId }) => ({
    // Named after the notification it answers (a re-parented child's, or this alarm's own).
    _id: outageClosingId(noticeAlarmId, customerId), customerId, channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'outage resolved',
    description: `Service restored: the outage on ${resourceId} is over (alarm ${alarmId})`, createdAt: at,
    relatedEntity: [{ id: alarmId, referredType: 'Alarm', role: 'cause' }, { id: resourceId, referredType: 'Resource', role: 'alarmedObject' }],
  })), { validateFirstOfChunk: true, skip: 'duplicate-id' });
  // The notices close with the marker: a later outage on these customers is news again.
  const done = await onceOnly(deps.conn, OUTAGE_CARE_CONSUMER, `close:${alarmId}`, async (session) => {
    await notices(deps).deleteMany({ alarmId }, { session });
    await incidents(deps).updateOne({ _id: alarmId }, { $set: { closed: open.length, closedAt: at } }, { session });
    return true; // onceOnly answers undefined only for "done before"
  });
  return done === undefined ? { kind: 'duplicate' } : { kind: 'closed', alarmId, customers: open.length };
}
