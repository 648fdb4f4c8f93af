import { badUserInput } from '../../../kit/errors.js';
import { toConnection } from '../../../kit/pagination.js';
import { parseMeasurementArgs, type MeasurementArgs } from '../measurement-query.js';
import { ingestMeasurements, MAX_MEASUREMENTS } from '../performance/ingest.js';
import { toMeasurement } from '../performance/shapes.js';
import type { MeasurementInput } from '../performance/validate.js';
import type { Context } from './context.js';

/** `recordMeasurements` (TMF628 ingestion): thin over performance/ingest.ts, which `POST /measurements` uses too. */
export const measurementMutations = {
  recordMeasurements: async (_: unknown, args: { inputs: MeasurementInput[] }, ctx: Context) => {
    if (args.inputs.length > MAX_MEASUREMENTS) throw badUserInput('inputs', `at most ${MAX_MEASUREMENTS} per request, got ${args.inputs.length}; use POST /measurements for larger feeds`);
    const outcomes = await ingestMeasurements(ctx, args.inputs, (i) => `inputs[${i}]`);
    return outcomes.map((o) => (o.error
      ? { measurement: null, status: null, error: o.error }
      : { measurement: toMeasurement({ _id: o.record._id, ...o.record.subject, indicator: o.record.indicator, value: o.record.value, unit: o.record.unit, granularity: o.record.granularity, time: o.record.time }), status: o.status, error: null }));
  },
};

/** `Service.measurements`: a service's own (end-to-end) measurements, batched over the services of a request like `Resource.measurements`. */
export const serviceMeasurementFields = {
  measurements: async (service: { id: string }, args: MeasurementArgs, ctx: Context) => {
    const query = parseMeasurementArgs(args, ctx.config.maxPageSize);
    const { totalCount, nodes } = await ctx.loaders.serviceMeasurementPage.load({ serviceId: service.id, query });
    return toConnection(nodes.map(toMeasurement), totalCount, query.page);
  },
};
