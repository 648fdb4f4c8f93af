import mongoose, { Schema, type InferRawDocType, type InferSchemaType } from 'mongoose';
import {
  ACK_STATES, ACTIVE_ALARM_STATES, ALARM_STATES, ALARM_TYPES, GRANULARITIES, PLANNED_OUTAGE_INDICATORS, SEVERITIES, THRESHOLD_DIRECTIONS,
} from './domain.js';

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
// At most one active alarm per fault: a new report of the same fault bumps `count` instead
// (raiseAlarm relies on this index to stay correct under concurrent reports).
alarmSchema.index(
  { resourceId: 1, probableCause: 1, specificProblem: 1 },
  { name: 'active_alarm_dedup', unique: true, partialFilterExpression: { state: { $in: [...ACTIVE_ALARM_STATES] } } },
);

const measurementDefinition = {
  /** `<resourceId>/<indicator>/<granularity>/<ISO time>`: one value per series and period. */
  _id: { type: String, required: true },
  resourceId: { type: String, required: true },
  indicator: { type: String, required: true },
  value: { type: Number, required: true },
  unit: { type: String, default: null },
  granularity: { type: String, enum: GRANULARITIES, required: true },
  /** Start of the period the value aggregates. */
  time: { type: Date, required: true },
} as const;

const measurementSchema = new Schema(measurementDefinition, { collection: 'measurements' });
// One index serves every measurement query: they all name the resource (batched with $in), most
// an indicator, then a time range. A second index would slow seeding of a large world by a third.
measurementSchema.index({ resourceId: 1, indicator: 1, time: 1 });

/** An alarm as stored (what `lean()` returns). */
export type AlarmDoc = InferSchemaType<typeof alarmSchema> & { _id: string };
/** A comment on an alarm as stored. */
export type AlarmCommentDoc = InferRawDocType<typeof commentDefinition>;
/** A performance measurement as stored. */
export type MeasurementDoc = InferSchemaType<typeof measurementSchema> & { _id: string };

/** The assurance subgraph's models, bound to its own connection. */
export function createModels(conn: mongoose.Connection) {
  return {
    Alarm: conn.model('Alarm', alarmSchema),
    Measurement: conn.model('Measurement', measurementSchema),
  };
}

/** The assurance subgraph's models. */
export type Models = ReturnType<typeof createModels>;
