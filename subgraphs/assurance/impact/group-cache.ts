import { LruMap } from '../../../kit/lru-map.js';
import { ACTIVE_ALARM_STATES, type AlarmState } from '../domain.js';
import type { Models } from '../models.js';

/** The outbox counter (outbox/index.ts): bumped in the same transaction as every alarm change. */
const OUTBOX_COUNTER_ID = 'outbox';
/** A safety net against writers that bypass the outbox: a group is re-read in full at least this often. */
const REREAD_MS = 60_000;
/**
 * Catching up costs about as much per event as a re-read (`distinct`) per 3–4 children: past this
 * many events since a group was current, re-reading even a storm's group (100,000 children) is
 * no slower.
 */
const MAX_CATCH_UP = 20_000;
/** Entries hold a resource set each (a fibre cut's is some 7,000 ids): bound the count. */
const MAX_GROUPS = 64;

/** Alarm events of a seq range, packed into parallel arrays (one reply document, not one per event). */
export interface PackedEvents {
  seq: number[];
  parentAlarmId: (string | null)[];
  resourceId: string[];
  state: AlarmState[];
}

const isActive = (state: AlarmState) => ACTIVE_ALARM_STATES.includes(state);

/**
 * A root cause's group as last known: the resources of its active children, current up to the
 * outbox `mark`. Events carry the alarm as it is after each change, so most of a storm's events
 * just add a resource (a new child, or one already counted); only an event that may take a
 * resource out (a child cleared or moved away, on a resource still counted) needs a re-read,
 * since another child may still hold that resource.
 */
export class Group {
  private sorted: string[] | null = null;

  constructor(
    public mark: number,
    readonly readAt: number,
    private readonly resources: Set<string>,
  ) {}

  /** The resources, ascending; the same array until the set changes (do not modify it). */
  resourceIds(): string[] {
    return (this.sorted ??= [...this.resources].sort());
  }

  /** Applies the events after `mark` up to `upTo` (in seq order); false when the group must be re-read. */
  catchUp(rootAlarmId: string, events: PackedEvents, upTo: number): boolean {
    // Applied only when every event could be: another request may be serving this group meanwhile.
    const added = new Set<string>();
    for (let i = 0; i < events.seq.length; i++) {
      if (events.seq[i] <= this.mark || events.seq[i] > upTo) continue;
      const resourceId = events.resourceId[i];
      if (events.parentAlarmId[i] === rootAlarmId && isActive(events.state[i])) {
        if (!this.resources.has(resourceId)) added.add(resourceId);
      } else if (this.resources.has(resourceId) || added.has(resourceId)) {
        return false;
      }
    }
    for (const id of added) this.resources.add(id);
    if (added.size) this.sorted = null;
    // Never backwards: a slower request may catch up to an older mark after a faster one.
    this.mark = Math.max(this.mark, upTo);
    return true;
  }

  /** Whether the group can be served as it is for outbox position `mark`. */
  isCurrent(mark: number, now: number): boolean {
    return this.mark === mark && now - this.readAt < REREAD_MS;
  }

  /** Whether catching up to `mark` is allowed and cheaper than a re-read. */
  canCatchUp(mark: number, now: number): boolean {
    return now - this.readAt < REREAD_MS && mark - this.mark <= MAX_CATCH_UP;
  }
}

/** The groups of one running assurance subgraph, by root-cause alarm id. */
export type GroupCache = LruMap<string, Group>;

const caches = new WeakMap<Models, GroupCache>();

/** The group cache of the subgraph these models belong to. */
export function groupCacheOf(models: Models): GroupCache {
  let cache = caches.get(models);
  if (!cache) caches.set(models, (cache = new LruMap(MAX_GROUPS)));
  return cache;
}

/** How far the outbox is: every alarm change commits with its bump of this counter. */
export async function outboxMark(models: Models): Promise<number> {
  const counter = await models.Counter.findById(OUTBOX_COUNTER_ID, { seq: 1 }).lean<{ seq: number }>().exec();
  return counter?.seq ?? 0;
}

/** The alarm events with `after < seq <= upTo`, in seq order. Counter and events commit together, so all of them are there. */
export async function alarmEventsBetween(models: Models, after: number, upTo: number): Promise<PackedEvents> {
  const [packed] = await models.AssuranceEvent.aggregate<PackedEvents>([
    { $match: { seq: { $gt: after, $lte: upTo }, alarmId: { $exists: true } } },
    { $sort: { seq: 1 } },
    { $group: { _id: null, seq: { $push: '$seq' }, parentAlarmId: { $push: { $ifNull: ['$parentAlarmId', null] } }, resourceId: { $push: '$resourceId' }, state: { $push: '$state' } } },
  ]).exec();
  return packed ?? { seq: [], parentAlarmId: [], resourceId: [], state: [] };
}
