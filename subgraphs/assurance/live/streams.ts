import { severitiesAtLeast, type PerceivedSeverity } from '../domain.js';
import type { AlarmDoc, Models } from '../models.js';
import type { CoalesceRule } from './coalesce.js';
import { ALARM_EVENT_TYPES, isAlarmEvent, isSlaViolationEvent, SLA_EVENT_TYPES, type AlarmEvent, type SlaViolationEvent } from './events.js';
import type { LiveFeedOptions } from './feed.js';

/** The arguments of `alarmChanged`, `after` already decoded. */
export interface AlarmStreamArgs {
  minSeverity?: PerceivedSeverity | null;
  resourceId?: string | null;
  after?: number;
  /**
   * Whether deliveries resolve alarms as stored now (read ahead in batches); false when the
   * subscriber only asks for what the events carry (see alarm-selection.ts). Default true.
   */
  readAlarms?: boolean;
}

/**
 * Only alarms at least `min` severe — and, once an alarm has been delivered, all its later
 * changes: a subscriber that saw a CRITICAL alarm must also see it downgraded and cleared, or
 * its view of the alarm would stay CRITICAL for ever. Runs in `seq` order (LiveFeed `select`).
 */
function severityAtLeast(min: PerceivedSeverity): (event: AlarmEvent) => boolean {
  const severe = new Set<string>(severitiesAtLeast(min));
  const followed = new Set<string>();
  return (event) => {
    const keep = severe.has(event.perceivedSeverity) || followed.has(event.alarmId);
    if (event.state === 'CLEARED') followed.delete(event.alarmId);
    else if (keep) followed.add(event.alarmId);
    return keep;
  };
}

/** Coalescing of alarm changes: per alarm, a clear is final. */
export const alarmCoalescing = (windowMs: number): CoalesceRule<AlarmEvent> => ({
  windowMs,
  subject: (event) => event.alarmId,
  final: (event) => event.state === 'CLEARED',
  previousState: (event) => event.previousState ?? null,
});

/** The alarms of these events as stored now, in one query; null for one not stored. */
async function preloadAlarms(models: Models, events: AlarmEvent[]): Promise<(AlarmDoc | null)[]> {
  const ids = [...new Set(events.map((e) => e.alarmId))];
  const docs = await models.Alarm.find({ _id: { $in: ids } }).batchSize(ids.length + 1).lean<AlarmDoc[]>();
  const byId = new Map(docs.map((d) => [d._id, d]));
  return events.map((e) => byId.get(e.alarmId) ?? null);
}

/** What `alarmChanged(minSeverity, resourceId, after)` streams. */
export function alarmStream(args: AlarmStreamArgs, coalesceMs: number): LiveFeedOptions<AlarmEvent> {
  const resourceId = args.resourceId ?? undefined;
  return {
    query: { eventType: { $in: [...ALARM_EVENT_TYPES] }, ...(resourceId !== undefined && { resourceId }) },
    matches: (event): event is AlarmEvent => isAlarmEvent(event) && (resourceId === undefined || event.resourceId === resourceId),
    ...(args.minSeverity && { select: severityAtLeast(args.minSeverity) }),
    after: args.after,
    coalesce: alarmCoalescing(coalesceMs),
    ...(args.readAlarms !== false && { preload: preloadAlarms }),
  };
}

/** What `slaViolationChanged(customerId, after)` streams: every change, never coalesced (they are few). */
export function slaViolationStream(args: { customerId?: string | null; after?: number }): LiveFeedOptions<SlaViolationEvent> {
  const customerId = args.customerId ?? undefined;
  return {
    query: { eventType: { $in: [...SLA_EVENT_TYPES] }, ...(customerId !== undefined && { customerId }) },
    matches: (event): event is SlaViolationEvent => isSlaViolationEvent(event) && (customerId === undefined || event.customerId === customerId),
    after: args.after,
    coalesce: { windowMs: 0, subject: () => null, final: () => true, previousState: (event) => event.previousState ?? null },
  };
}
