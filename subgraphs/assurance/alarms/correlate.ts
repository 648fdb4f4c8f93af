import { randomUUID } from 'node:crypto';
import { normalizeIndicator } from '../domain.js';
import type { AlarmDoc } from '../models.js';
import type { NewEvent } from '../outbox/index.js';
import { alarmEvent } from './events.js';
import type { ValidAlarm } from './types.js';

/** What correlation needs of the topology replica. */
export interface TopologyView {
  ancestors(id: string): string[];
  descendants(id: string): string[];
  hasDescendants(id: string): boolean;
}

/**
 * What makes two reports the same fault: resource, probable cause, specific problem (absent ≠
 * empty). Also the `_id` of the fault's entry in the fault register (`alarmFaults`, models.ts).
 */
export const faultKey = (a: Pick<AlarmDoc, 'resourceId' | 'probableCause' | 'specificProblem'>) =>
  JSON.stringify([a.resourceId, a.probableCause, a.specificProblem ?? null]);

interface Tracked {
  doc: AlarmDoc;
  isNew: boolean;
  /** Fields of a stored alarm changed by this batch. */
  dirty: Set<keyof AlarmDoc>;
}

/** What one batch stores: new alarms, changed fields of stored ones, and the events, in order. */
export interface BatchPlan {
  inserts: AlarmDoc[];
  updates: { doc: AlarmDoc; fields: (keyof AlarmDoc)[] }[];
  events: NewEvent[];
}

/**
 * Deduplication and topology correlation of one batch of reports, in memory, in report order.
 * Starts from the ACTIVE alarms the batch can touch (read in the batch's transaction: same
 * faults, alarms on the reports' ancestors, alarms below would-be roots) and keeps them, and the
 * alarms it creates, indexed by fault and by resource; the store then writes the outcome.
 *
 * Rules (the issue's contract), with W = the correlation window:
 * - a report of an active fault updates that alarm (UPDATED, count + 1, severity, change time);
 * - a new alarm whose resource has an ancestor (reliesOn ∪ bundledIn, transitively) carrying an
 *   active alarm raised within W joins that alarm's group: its parent is the group's root (groups
 *   are flat: one root, all children directly under it), and that root is a root cause;
 * - otherwise the new alarm is a root cause and adopts every group below it whose root was raised
 *   within W (a child raised before its parent is re-parented when the parent arrives).
 * Every change of an alarm yields one event carrying the alarm as it is after that change.
 */
export class BatchCorrelator {
  private readonly byId = new Map<string, Tracked>();
  private readonly byKey = new Map<string, Tracked>();
  private readonly byResource = new Map<string, Tracked[]>();
  private readonly events: NewEvent[] = [];

  constructor(private readonly topology: TopologyView, private readonly windowMs: number, private readonly now: Date, active: readonly AlarmDoc[]) {
    for (const doc of active) this.track(doc, false);
  }

  /** Applies one report; returns the alarm it created or updated (final once the batch is done). */
  raise(report: ValidAlarm): AlarmDoc {
    const existing = this.byKey.get(faultKey(report));
    return existing ? this.repeat(existing, report) : this.create(report);
  }

  /** The outcome to store. */
  plan(): BatchPlan {
    const tracked = [...this.byId.values()];
    return {
      inserts: tracked.filter((t) => t.isNew).map((t) => t.doc),
      updates: tracked.filter((t) => !t.isNew && t.dirty.size).map((t) => ({ doc: t.doc, fields: [...t.dirty] })),
      events: this.events,
    };
  }

  private track(doc: AlarmDoc, isNew: boolean): Tracked {
    const known = this.byId.get(doc._id);
    if (known) return known;
    const t: Tracked = { doc, isNew, dirty: new Set() };
    this.byId.set(doc._id, t);
    this.byKey.set(faultKey(doc), t);
    const list = this.byResource.get(doc.resourceId);
    if (list) list.push(t);
    else this.byResource.set(doc.resourceId, [t]);
    return t;
  }

  private within(a: Date, b: Date): boolean {
    return Math.abs(a.getTime() - b.getTime()) <= this.windowMs;
  }

  /** Records a change of `t` (one event); `alarmChangedTime` follows every change the alarm's owner makes. */
  private change(t: Tracked, fields: Partial<AlarmDoc>): void {
    const previousState = t.doc.state;
    Object.assign(t.doc, fields, { alarmChangedTime: this.now, updatedAt: this.now });
    for (const key of Object.keys(fields) as (keyof AlarmDoc)[]) t.dirty.add(key);
    t.dirty.add('alarmChangedTime').add('updatedAt');
    this.events.push(alarmEvent('AlarmAttributeValueChangeEvent', t.doc, previousState, this.now));
  }

  private repeat(t: Tracked, report: ValidAlarm): AlarmDoc {
    const doc = t.doc;
    const previousState = doc.state;
    const last = doc.alarmChangedTime ?? doc.alarmRaisedTime;
    // The change time is the latest report's; a late, older report never moves it back.
    doc.alarmChangedTime = report.alarmRaisedTime > last ? report.alarmRaisedTime : last;
    doc.count += 1;
    doc.state = 'UPDATED';
    doc.perceivedSeverity = report.perceivedSeverity;
    doc.updatedAt = this.now;
    t.dirty.add('alarmChangedTime').add('count').add('state').add('perceivedSeverity').add('updatedAt');
    if (report.serviceAffecting !== null) {
      doc.serviceAffecting = report.serviceAffecting;
      t.dirty.add('serviceAffecting');
    }
    if (report.crossedThresholdInformation) {
      doc.crossedThresholdInformation = storedThreshold(report);
      t.dirty.add('crossedThresholdInformation');
    }
    const type = previousState === 'RAISED' ? 'AlarmStateChangeEvent' : 'AlarmAttributeValueChangeEvent';
    this.events.push(alarmEvent(type, doc, previousState, this.now));
    return doc;
  }

  private create(report: ValidAlarm): AlarmDoc {
    const doc = newAlarm(report, this.now);
    const root = this.groupToJoin(doc);
    doc.parentAlarmId = root?.doc._id ?? null;
    doc.isRootCause = !root;
    this.track(doc, true);
    this.events.push(alarmEvent('AlarmCreateEvent', doc, null, this.now));
    if (!root) this.adoptBelow(doc);
    return doc;
  }

  /**
   * The root of the group a new alarm joins: that of the nearest ancestor carrying an active
   * alarm raised within the window (its earliest such alarm). The root becomes a root cause if
   * it was not one, e.g. a lone alarm, or a child whose root has cleared since.
   */
  private groupToJoin(doc: AlarmDoc): Tracked | null {
    for (const ancestor of this.topology.ancestors(doc.resourceId)) {
      let nearest: Tracked | undefined;
      for (const t of this.byResource.get(ancestor) ?? []) {
        if (this.within(t.doc.alarmRaisedTime, doc.alarmRaisedTime) && (!nearest || t.doc.alarmRaisedTime < nearest.doc.alarmRaisedTime)) nearest = t;
      }
      if (!nearest) continue;
      const root = this.rootOf(nearest);
      // Only active alarms are tracked: a parent that is not is cleared (or gone), so the group's top takes over.
      if (root.doc.parentAlarmId) this.change(root, { parentAlarmId: null, isRootCause: true });
      else if (!root.doc.isRootCause) this.change(root, { isRootCause: true });
      return root;
    }
    return null;
  }

  /** The top of `t`'s group among the active alarms (itself when its parent is not active). */
  private rootOf(t: Tracked): Tracked {
    let top = t;
    const seen = new Set<string>();
    while (top.doc.parentAlarmId && !seen.has(top.doc._id)) {
      seen.add(top.doc._id);
      const parent = this.byId.get(top.doc.parentAlarmId);
      if (!parent) break;
      top = parent;
    }
    return top;
  }

  /** A new root adopts the groups below it whose root was raised within the window (whole groups: they stay flat). */
  private adoptBelow(root: AlarmDoc): void {
    if (!this.topology.hasDescendants(root.resourceId)) return;
    const below = new Set(this.topology.descendants(root.resourceId));
    const adopt: Tracked[] = [];
    // Decide everything first: re-parenting while deciding would change the groups being judged.
    for (const resourceId of below) {
      for (const t of this.byResource.get(resourceId) ?? []) {
        const top = this.rootOf(t);
        const topIsBelow = top === t || below.has(top.doc.resourceId);
        if (topIsBelow && this.within(top.doc.alarmRaisedTime, root.alarmRaisedTime)) adopt.push(t);
      }
    }
    for (const t of adopt) this.change(t, { parentAlarmId: root._id, isRootCause: false });
  }
}

function storedThreshold(report: ValidAlarm): AlarmDoc['crossedThresholdInformation'] {
  const c = report.crossedThresholdInformation;
  return c && { ...c, indicatorName: normalizeIndicator(c.indicatorName) };
}

/** A new alarm document, complete (it is inserted lean, without mongoose defaults). */
function newAlarm(report: ValidAlarm, now: Date): AlarmDoc {
  return {
    _id: `ALM-${randomUUID()}`,
    externalAlarmId: report.externalAlarmId,
    sourceSystemId: report.sourceSystemId,
    resourceId: report.resourceId,
    alarmType: report.alarmType,
    perceivedSeverity: report.perceivedSeverity,
    probableCause: report.probableCause,
    specificProblem: report.specificProblem,
    state: 'RAISED',
    ackState: 'UNACKNOWLEDGED',
    ackUserId: null,
    ackSystemId: null,
    alarmRaisedTime: report.alarmRaisedTime,
    alarmChangedTime: null,
    alarmClearedTime: null,
    serviceAffecting: report.serviceAffecting ?? false,
    isRootCause: false,
    parentAlarmId: null,
    correlatedAlarmIds: [],
    plannedOutageIndicator: 'IN_SERVICE',
    crossedThresholdInformation: storedThreshold(report),
    // AlarmDoc types comments as mongoose's DocumentArray; a lean document holds a plain array.
    comments: [] as unknown as AlarmDoc['comments'],
    count: 1,
    createdAt: now,
    updatedAt: now,
  };
}
