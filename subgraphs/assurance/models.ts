import mongoose, { Schema, type InferRawDocType, type InferSchemaType } from 'mongoose';
import {
  ACK_STATES, ALARM_STATES, ALARM_TYPES, GRANULARITIES, PLANNED_OUTAGE_INDICATORS, SEVERITIES, THRESHOLD_DIRECTIONS,
} from './domain.js';
import { performanceModels } from './performance/model.js';
import { slaModels } from './sla/model.js';
import { outboxModels } from './outbox/model.js';

const commentDefinition = {
  comment: { type: String, required: true },
  time: { type: Date, required: true },
  userId: { type: String, default: null },
  systemId: { type: String, default: null },
} as const;

const crossedThresholdDefinition = {
  threshold: { type: String, required: true },
  direction: { type: String, enum: THRESHOLD_DIRECTIONS, required: true },
  indicatorName: { type: String, required: true },
  indicatorUnit: { type: String, default: null },
  observedValue: { type: String, required: true },
  granularity: { type: String, enum: GRANULARITIES, default: null },
  thresholdCrossingDescription: { type: String, default: null },
} as const;

const alarmDefinition = {
  _id: { type: String, required: true },
  externalAlarmId: { type: String, default: null },
  sourceSystemId: { type: String, default: null },
  /** The alarmed object: a resource owned by the inventory subgraph. */
  resourceId: { type: String, required: true },
  alarmType: { type: String, enum: ALARM_TYPES, required: true },
  perceivedSeverity: { type: String, enum: SEVERITIES, required: true },
  probableCause: { type: String, required: true },
  specificProblem: { type: String, default: null },
  state: { type: String, enum: ALARM_STATES, required: true },
  ackState: { type: String, enum: ACK_STATES, default: 'UNACKNOWLEDGED', required: true },
  ackUserId: { type: String, default: null },
  ackSystemId: { type: String, default: null },
  alarmRaisedTime: { type: Date, required: true },
  alarmChangedTime: { type: Date, default: null },
  alarmClearedTime: { type: Date, default: null },
  serviceAffecting: { type: Boolean, default: false, required: true },
  isRootCause: { type: Boolean, default: false, required: true },
  parentAlarmId: { type: String, default: null },
  correlatedAlarmIds: { type: [String], default: [] },
  plannedOutageIndicator: { type: String, enum: PLANNED_OUTAGE_INDICATORS, default: 'IN_SERVICE', required: true },
  crossedThresholdInformation: { type: new Schema(crossedThresholdDefinition, { _id: false }), default: null },
  comments: { type: [new Schema(commentDefinition, { _id: false })], default: [] },
  /** Reports of the same fault deduplicated into this alarm while it was active. */
  count: { type: Number, default: 1, min: 1, required: true },
} as const;

const alarmSchema = new Schema(alarmDefinition, { collection: 'alarms', timestamps: true });
// Every list of alarms is "most recently raised first"; `_id` breaks ties so pages are stable.
// Each filterable field leads an index ending in that order, so a filtered page needs no sort.
alarmSchema.index({ alarmRaisedTime: -1, _id: 1 });
alarmSchema.index({ state: 1, alarmRaisedTime: -1, _id: 1 });
alarmSchema.index({ perceivedSeverity: 1, alarmRaisedTime: -1, _id: 1 });
alarmSchema.index({ alarmType: 1, alarmRaisedTime: -1, _id: 1 });
alarmSchema.index({ ackState: 1, alarmRaisedTime: -1, _id: 1 });
alarmSchema.index({ isRootCause: 1, alarmRaisedTime: -1, _id: 1 });
// Resource.alarms(state:) batch-loads by resourceId (+ state) for many resources at once.
alarmSchema.index({ resourceId: 1, state: 1, alarmRaisedTime: -1, _id: 1 });
// childAlarms: a fibre cut can have thousands of children under one parent.
alarmSchema.index({ parentAlarmId: 1, alarmRaisedTime: -1, _id: 1 });
// At most one active alarm per fault (resource + probable cause + specific problem) is kept by
// the fault register below, not by a unique index: a unique secondary index makes every insert
// of a batch transaction check all the batch's earlier inserts on the embedded server
// (quadratic: 1,000 alarms took 3 s instead of 0.1 s), while `_id` uniqueness stays O(1).
export const LEGACY_DEDUP_INDEX = 'active_alarm_dedup';

/**
 * The fault register (`alarmFaults`): one document per fault ever raised, `_id` = the fault key
 * (see alarms/correlate.ts `faultKey`), naming the alarm last created for it. Creating an alarm
 * upserts its fault's document in the same transaction, so two writers creating the same fault
 * at once conflict on one `_id` (one retries and finds the other's alarm); deduplication looks
 * faults up by `_id`. A register entry whose alarm has cleared is simply overwritten by the next.
 */
const alarmFaultSchema = new Schema(
  { _id: { type: String, required: true }, alarmId: { type: String, required: true } },
  { collection: 'alarmFaults', versionKey: false },
);

/** An alarm as stored (what `lean()` returns). */
export type AlarmDoc = InferSchemaType<typeof alarmSchema> & { _id: string };
/** A comment on an alarm as stored. */
export type AlarmCommentDoc = InferRawDocType<typeof commentDefinition>;
export type { MeasurementDoc } from './performance/model.js';

/** The assurance subgraph's models, bound to its own connection. */
export function createModels(conn: mongoose.Connection) {
  return {
    Alarm: conn.model('Alarm', alarmSchema),
    AlarmFault: conn.model('AlarmFault', alarmFaultSchema),
    ...performanceModels(conn),
    ...slaModels(conn),
    ...outboxModels(conn),
  };
}

/** The assurance subgraph's models. */
export type Models = ReturnType<typeof createModels>;
