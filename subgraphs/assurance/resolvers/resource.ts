import { toConnection } from '../../../kit/pagination.js';
import type { AlarmState } from '../domain.js';
import { parseMeasurementArgs, type MeasurementArgs } from '../measurement-query.js';
import type { Context } from './context.js';
import { toAlarm, toMeasurement } from './shapes.js';

/** The assurance view of a resource: the inventory subgraph owns it, we only know its id. */
interface ResourceRef {
  id: string;
}

/** Resource entity (owned by inventory): the alarms and measurements assurance holds about it. */
export const Resource = {
  // No lookup: assurance stores nothing about the resource itself, and an id without alarms or
  // measurements is a healthy resource, not a missing one.
  __resolveReference: (ref: ResourceRef) => ({ id: ref.id }),

  alarms: async (resource: ResourceRef, args: { state?: AlarmState | null; active?: boolean | null }, ctx: Context) => {
    const docs = await ctx.loaders.alarmsByResource.load({ resourceId: resource.id, state: args.state ?? null, active: args.active ?? null });
    return docs.map(toAlarm);
  },

  measurements: async (resource: ResourceRef, args: MeasurementArgs, ctx: Context) => {
    const query = parseMeasurementArgs(args, ctx.config.maxPageSize);
    const { totalCount, nodes } = await ctx.loaders.measurementPage.load({ resourceId: resource.id, query });
    return toConnection(nodes.map(toMeasurement), totalCount, query.page);
  },
};
