import type { ClientSession } from 'mongoose';
import { GRANULARITIES, GRANULARITY_MINUTES, type Granularity } from '../domain.js';
import type { Models } from '../models.js';
import type { ServiceSla } from './directory.js';
import { appendSlaEvents, type SlaEventInput } from './events.js';
import type { SlaViolationDoc } from './model.js';
import type { SlaTier } from './terms.js';
import { coverageOf, newViolation, spanFields, spanOf } from './violations.js';
import { applyWindows, windowAverages, type SeriesPoint, type Span } from './window.js';

/** One service indicator to evaluate. */
export interface SeriesKey {
  serviceId: string;
  indicator: string;
}

export const seriesId = (k: SeriesKey) => `${k.serviceId}/${k.indicator}`;

/** A violation this evaluation opened or closed, for the alarm follow-up after commit. */
export interface ViolationChange {
  violationId: string;
  opened: boolean;
  closed: boolean;
  /** The granularity of the point whose window first breached (for the alarm's crossed-threshold information). */
  granularity: Granularity | null;
}

type PointRow = { time: Date; value: number; granularity: Granularity };

/**
 * The points evaluations after `since` need: those ending after it, and those in the window
 * before. Per granularity, as a coarser point starts earlier for the same end.
 */
async function loadPoints(models: Models, session: ClientSession, key: SeriesKey, since: Date | null, windowMs: number): Promise<PointRow[]> {
  const byGranularity = since === null ? [{}] : GRANULARITIES.map((g) => ({ granularity: g, time: { $gt: new Date(since.getTime() - windowMs - GRANULARITY_MINUTES[g] * 60_000) } }));
  return models.Measurement.find({ serviceId: key.serviceId, indicator: key.indicator, $or: byGranularity }, { _id: 0, time: 1, value: 1, granularity: 1 })
    .session(session).lean<PointRow[]>();
}

const toPoint = (r: PointRow): SeriesPoint => {
  const minutes = GRANULARITY_MINUTES[r.granularity];
  return { end: r.time.getTime() + minutes * 60_000, minutes, value: r.value };
};

/**
 * Evaluates the points of one series stored since its last evaluation, in ONE transaction with
 * what it decides: violations opened, extended or closed, their outbox events, and the series'
 * new watermark. Two evaluations of one series conflict on the series document and the loser is
 * retried from the start, so each window is judged once. Returns the violations opened or closed.
 */
export async function evaluateSeries(models: Models, key: SeriesKey, facts: ServiceSla | null, windowMs: number): Promise<ViolationChange[]> {
  return models.SlaSeries.db.transaction(async (session) => {
    const series = await models.SlaSeries.findById(seriesId(key)).session(session).lean();
    if (!series) return [];
    const since = series.evaluatedUntil ?? null;
    const open = await models.SlaViolation.findOne({ serviceId: key.serviceId, indicator: key.indicator, state: 'OPEN' }).session(session).lean<SlaViolationDoc>();
    const coverage = coverageOf(facts, key.indicator);
    // An open violation is judged to its end by the target it opened with, even if the customer
    // has since changed tier (or left the SLA); a series not under SLA only moves its watermark.
    const target = open?.target ?? coverage?.target;
    const points = target === undefined ? [] : (await loadPoints(models, session, key, since, windowMs)).map((r) => ({ row: r, point: toPoint(r) }));
    points.sort((a, b) => a.point.end - b.point.end);
    const times = [...new Set(points.map((p) => p.point.end).filter((end) => since === null || end > since.getTime()))];
    const changes: ViolationChange[] = [];
    if (target !== undefined && times.length) {
      const spans = applyWindows(open ? spanOf(open) : null, windowAverages(points.map((p) => p.point), times, windowMs), target);
      const granularityAt = new Map(points.map((p) => [p.point.end, p.row.granularity]));
      changes.push(...(await storeSpans(models, session, key, open, spans, facts, granularityAt)));
    }
    const until = Math.max(series.pendingUntil.getTime(), since?.getTime() ?? 0, ...times);
    await models.SlaSeries.updateOne({ _id: series._id }, { $set: { evaluatedUntil: new Date(until), pending: false } }, { session });
    return changes;
  });
}

async function storeSpans(
  models: Models, session: ClientSession, key: SeriesKey, open: SlaViolationDoc | null, spans: Span[], facts: ServiceSla | null, granularityAt: Map<number, Granularity>,
): Promise<ViolationChange[]> {
  const changes: ViolationChange[] = [];
  const events: SlaEventInput[] = [];
  const [continued, fresh] = open ? [spans[0], spans.slice(1)] : [null, spans];
  if (open && continued) {
    const fields = spanFields(continued, open.tier as SlaTier, open.monthlyFee);
    // A close leaves the alarm to clear: pending again until the follow-up has cleared it.
    await models.SlaViolation.updateOne({ _id: open._id }, { $set: { ...fields, ...(fields.state === 'CLOSED' && { alarmPending: true }) } }, { session });
    if (fields.state === 'CLOSED') {
      events.push({ violation: { ...open, ...fields }, previousState: 'OPEN' });
      changes.push({ violationId: open._id, opened: false, closed: true, granularity: null });
    }
  }
  const coverage = coverageOf(facts, key.indicator);
  if (fresh.length && facts && coverage) {
    const docs = fresh.map((span) => newViolation(span, facts, key.indicator, coverage));
    await models.SlaViolation.insertMany(docs, { session });
    for (const doc of docs) {
      events.push({ violation: { ...doc, state: 'OPEN', end: null }, previousState: null });
      if (doc.state === 'CLOSED') events.push({ violation: doc, previousState: 'OPEN' });
      changes.push({ violationId: doc._id, opened: true, closed: doc.state === 'CLOSED', granularity: granularityAt.get(doc.start.getTime()) ?? null });
    }
  }
  await appendSlaEvents(models, session, events);
  return changes;
}
