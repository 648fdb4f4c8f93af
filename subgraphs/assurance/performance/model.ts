import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { GRANULARITIES } from '../domain.js';

const measurementDefinition = {
  /**
   * One value per series and period: `<resourceId>/<indicator>/<granularity>/<ISO time>` for a
   * resource, `service/<serviceId>/…` for a service (resource and service ids come from different
   * registries, so the prefix keeps a service from overwriting a resource of the same name).
   */
  _id: { type: String, required: true },
  /** The resource measured; absent on a service's measurement. */
  resourceId: { type: String },
  /** The service measured (end-to-end, as the customer's SLA sees it); absent on a resource's measurement. */
  serviceId: { type: String },
  indicator: { type: String, required: true },
  value: { type: Number, required: true },
  unit: { type: String, default: null },
  granularity: { type: String, enum: GRANULARITIES, required: true },
  /** Start of the period the value aggregates. */
  time: { type: Date, required: true },
} as const;

const measurementSchema = new Schema(measurementDefinition, { collection: 'measurements' });
// One index serves every resource query: they all name the resource (batched with $in), most an
// indicator, then a time range. A second full index would slow seeding of a large world by a third.
measurementSchema.index({ resourceId: 1, indicator: 1, time: 1 });
// The same for services, and the SLA evaluation's reads. Partial: the (many) resource measurements
// the seed bulk-loads carry no serviceId and cost this index nothing.
measurementSchema.index({ serviceId: 1, indicator: 1, time: 1 }, { partialFilterExpression: { serviceId: { $exists: true } } });

/** A performance measurement as stored. */
export type MeasurementDoc = InferSchemaType<typeof measurementSchema> & { _id: string };

/** The measurement model, bound to the assurance connection. */
export function performanceModels(conn: mongoose.Connection) {
  return { Measurement: conn.model('Measurement', measurementSchema) };
}
