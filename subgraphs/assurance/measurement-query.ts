import type { PipelineStage } from 'mongoose';
import { badUserInput } from '../../kit/errors.js';
import { parsePage, type Page, type PageArgs } from '../../kit/pagination.js';
import { GRANULARITIES, GRANULARITY_MINUTES, granularitiesUpTo, normalizeIndicator, type Granularity } from './domain.js';

/** Arguments of `Resource.measurements` / `Service.measurements` as GraphQL passes them. */
export interface MeasurementArgs extends PageArgs {
  indicator?: string | null;
  from?: Date | null;
  to?: Date | null;
  granularity?: Granularity | null;
}

/** Validated measurement arguments: the same for every resource (or service) of a request. */
export interface MeasurementQuery {
  indicator: string | null;
  from: Date | null;
  to: Date | null;
  /** null = the stored points as they are (raw); otherwise buckets of this period (see `measurementStages`). */
  granularity: Granularity | null;
  page: Page;
}

/** What a measurement is about: the field naming it in the stored document. */
export type MeasuredField = 'resourceId' | 'serviceId';

/** A measurement row: a stored point (with its `_id`) or a roll-up bucket (without); exactly one of resourceId / serviceId. */
export interface MeasurementRow {
  _id?: string;
  resourceId?: string | null;
  serviceId?: string | null;
  indicator: string;
  value: number;
  unit?: string | null;
  granularity: string;
  time: Date;
}

/** Validates the arguments; an inverted time range is BAD_USER_INPUT naming `to`. */
export function parseMeasurementArgs(args: MeasurementArgs, maxPageSize: number): MeasurementQuery {
  const page = parsePage(args, maxPageSize);
  const from = args.from ?? null;
  const to = args.to ?? null;
  if (from && to && to.getTime() < from.getTime()) throw badUserInput('to', `must not be before from (${from.toISOString()}), got ${to.toISOString()}`);
  return { indicator: args.indicator != null ? normalizeIndicator(args.indicator) : null, from, to, granularity: args.granularity ?? null, page };
}

/** Order of a measurement page: oldest first (the SDL's promise), then by indicator. */
export const MEASUREMENT_ORDER = { time: 1, indicator: 1, _id: 1 } as const;

function matchStage(field: MeasuredField, ids: string[], q: MeasurementQuery): PipelineStage.Match {
  const match: Record<string, unknown> = { [field]: { $in: ids } };
  if (q.indicator !== null) match.indicator = q.indicator;
  if (q.from || q.to) match.time = { ...(q.from && { $gte: q.from }), ...(q.to && { $lt: q.to }) };
  if (q.granularity) match.granularity = { $in: granularitiesUpTo(q.granularity) };
  return { $match: match };
}

/** A stored point's weight in a bucket: the minutes it covers (a 15-minute value outweighs a 1-minute one). */
const periodMinutes = {
  $arrayElemAt: [GRANULARITIES.map((g) => GRANULARITY_MINUTES[g]), { $indexOfArray: [GRANULARITIES, '$granularity'] }],
};

/**
 * Rolls stored points up into `granularity` periods aligned on the UTC epoch (hours on the hour,
 * days at midnight UTC): one value per resource (or service), indicator and period, the
 * duration-weighted mean of the stored points not coarser than `granularity` that start in the
 * period. A period with a stored point of exactly that granularity and nothing finer yields that
 * point's value.
 */
function rollUpStages(field: MeasuredField, granularity: Granularity): PipelineStage[] {
  const periodMs = GRANULARITY_MINUTES[granularity] * 60_000;
  const sinceEpoch = { $subtract: ['$time', new Date(0)] };
  return [
    { $addFields: { weight: periodMinutes } },
    {
      $group: {
        _id: { subject: `$${field}`, indicator: '$indicator', time: { $subtract: ['$time', { $mod: [sinceEpoch, periodMs] }] } },
        weightedSum: { $sum: { $multiply: ['$value', '$weight'] } },
        weight: { $sum: '$weight' },
        unit: { $first: '$unit' },
      },
    },
    {
      $project: {
        _id: 0, [field]: '$_id.subject', indicator: '$_id.indicator', time: '$_id.time',
        value: { $divide: ['$weightedSum', '$weight'] }, unit: 1, granularity: { $literal: granularity },
      },
    },
  ];
}

/** Pipeline stages producing the measurements `q` selects for these resources (or services), before paging. */
export function measurementStages(field: MeasuredField, ids: string[], q: MeasurementQuery): PipelineStage[] {
  const match = matchStage(field, ids, q);
  return q.granularity ? [match, ...rollUpStages(field, q.granularity)] : [match];
}

/** Cache/batch key of a query: subjects asking the same query share one aggregation. */
export function measurementQueryShape(q: MeasurementQuery): string {
  return JSON.stringify([q.indicator, q.from?.getTime() ?? null, q.to?.getTime() ?? null, q.granularity, q.page.offset, q.page.limit]);
}
