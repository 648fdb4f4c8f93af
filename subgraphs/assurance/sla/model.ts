import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { SLA_TIERS, VIOLATION_STATES } from './terms.js';

const moneyDefinition = { amount: { type: Number, required: true }, currency: { type: String, required: true } } as const;

const violationDefinition = {
  /** `SLAV-<serviceId>-<indicator>-<start epoch ms>`: re-running an evaluation can never open it twice. */
  _id: { type: String, required: true },
  customerId: { type: String, required: true },
  serviceId: { type: String, required: true },
  /** The customer's tier when the breach began: its thresholds and credit terms apply to the whole violation. */
  tier: { type: String, enum: SLA_TIERS, required: true },
  indicator: { type: String, required: true },
  unit: { type: String, required: true },
  /** Highest value the SLA allows. */
  target: { type: Number, required: true },
  /** Worst window average seen while the violation was open. */
  actual: { type: Number, required: true },
  state: { type: String, enum: VIOLATION_STATES, required: true },
  /** End of the first evaluation window whose average breached the target. */
  start: { type: Date, required: true },
  /** End of the first window back within the target; null while open. */
  end: { type: Date, default: null },
  /** End of the latest window still in breach: how far an open violation is known to last. */
  lastBreachAt: { type: Date, required: true },
  /** The offering's monthly fee the credit is a share of; null when the service has no recurring price. */
  monthlyFee: { type: new Schema(moneyDefinition, { _id: false }), default: null },
  penaltyEstimate: { type: new Schema(moneyDefinition, { _id: false }), default: null },
  /** Resource the quality-of-service alarm is raised on (the service's first supporting resource); null when it has none. */
  alarmResourceId: { type: String, default: null },
  /** The alarm once raised. */
  alarmId: { type: String, default: null },
  /**
   * The alarm is raised and cleared after the violation's transaction commits (through the alarm
   * pipeline, which has transactions of its own): true until that is done for the current state,
   * so a crash or an unavailable inventory in between is finished by the retry sweep.
   */
  alarmPending: { type: Boolean, default: true, required: true },
} as const;

const violationSchema = new Schema(violationDefinition, { collection: 'sla_violations', timestamps: true });
// Lists are newest breach first; `_id` keeps pages stable.
violationSchema.index({ customerId: 1, state: 1, start: -1, _id: 1 });
violationSchema.index({ state: 1, start: -1, _id: 1 });
violationSchema.index({ start: -1, _id: 1 });
violationSchema.index({ serviceId: 1, start: -1, _id: 1 });
violationSchema.index({ alarmPending: 1, updatedAt: 1 }, { partialFilterExpression: { alarmPending: true } });
// At most one open violation per service and indicator, also under concurrent evaluations.
violationSchema.index({ serviceId: 1, indicator: 1 }, { name: 'open_violation', unique: true, partialFilterExpression: { state: 'OPEN' } });

const seriesDefinition = {
  /** `<serviceId>/<indicator>`. */
  _id: { type: String, required: true },
  serviceId: { type: String, required: true },
  indicator: { type: String, required: true },
  /** End of the latest period evaluated; later points are still to evaluate. Null before the first evaluation. */
  evaluatedUntil: { type: Date, default: null },
  /** End of the latest period stored. */
  pendingUntil: { type: Date, required: true },
  /**
   * Points were stored since the last evaluation. Set by ingestion, cleared by the evaluation's
   * transaction (which conflicts with, and so retries after, a concurrent ingestion's mark).
   */
  pending: { type: Boolean, required: true },
} as const;

/** Evaluation progress of one service indicator: what lets an interrupted evaluation resume. */
const seriesSchema = new Schema(seriesDefinition, { collection: 'sla_series' });
// The retry sweep looks for series left pending (inline evaluation failed or crashed).
seriesSchema.index({ pending: 1 }, { partialFilterExpression: { pending: true } });

/** An SLA violation as stored. */
export type SlaViolationDoc = InferSchemaType<typeof violationSchema> & { _id: string };
/** SLA evaluation progress of one service indicator as stored. */
export type SlaSeriesDoc = InferSchemaType<typeof seriesSchema> & { _id: string };

/** The SLA models, bound to the assurance connection. */
export function slaModels(conn: mongoose.Connection) {
  return {
    SlaViolation: conn.model('SlaViolation', violationSchema),
    SlaSeries: conn.model('SlaSeries', seriesSchema),
  };
}
