import { INDICATORS, type Indicator } from '../performance/indicators.js';
import type { ServiceSla } from './directory.js';
import type { SlaViolationDoc } from './model.js';
import { penaltyEstimate, slaTarget, type SlaTier } from './terms.js';
import type { Span } from './window.js';

/** Whether a service indicator is under SLA: the target, and the tier it comes from. */
export interface SlaCoverage {
  tier: SlaTier;
  target: number;
}

/**
 * Only an active service of an ENTERPRISE customer whose tier guarantees the indicator is under
 * SLA; consumers never get violations, whatever tier their record carries.
 */
export function coverageOf(facts: ServiceSla | null | undefined, indicator: string): SlaCoverage | undefined {
  if (!facts?.active || facts.segment !== 'ENTERPRISE' || !facts.tier || !facts.customerId) return undefined;
  const target = slaTarget(facts.tier, indicator);
  return target === undefined ? undefined : { tier: facts.tier, target };
}

/** Identifier of the violation of a service indicator that started at `start` (epoch ms). */
export const violationId = (serviceId: string, indicator: string, start: number) => `SLAV-${serviceId}-${indicator}-${start}`;

/** How long a violation lasts (so far, while open): from its start to its end or to the latest window still in breach. */
export const durationMs = (v: Pick<Span, 'start' | 'end' | 'lastBreachAt'>) => (v.end ?? v.lastBreachAt) - v.start;

/** A span's fields as stored, with the credit it earns so far. */
export function spanFields(span: Span, tier: SlaTier, monthlyFee: SlaViolationDoc['monthlyFee']) {
  return {
    actual: span.actual,
    state: span.end === null ? ('OPEN' as const) : ('CLOSED' as const),
    start: new Date(span.start),
    end: span.end === null ? null : new Date(span.end),
    lastBreachAt: new Date(span.lastBreachAt),
    penaltyEstimate: penaltyEstimate(tier, monthlyFee, durationMs(span)),
  };
}

/**
 * The resource a service's quality-of-service alarm is raised on: the last supporting resource
 * inventory lists (the service-specific end of its path, e.g. the slice after the shared gNB,
 * so correlation does not make a site's alarms children of one customer's SLA breach).
 */
export const alarmResourceOf = (facts: ServiceSla): string | null => facts.resourceIds.at(-1) ?? null;

/** A new violation document for a span first seen in this evaluation. */
export function newViolation(span: Span, facts: ServiceSla, indicator: string, coverage: SlaCoverage) {
  return {
    _id: violationId(facts.serviceId, indicator, span.start),
    customerId: facts.customerId!,
    serviceId: facts.serviceId,
    tier: coverage.tier,
    indicator,
    unit: INDICATORS[indicator as Indicator].unit,
    target: coverage.target,
    monthlyFee: facts.monthlyFee,
    alarmResourceId: alarmResourceOf(facts),
    alarmId: null,
    alarmPending: true,
    ...spanFields(span, coverage.tier, facts.monthlyFee),
  };
}

/** A stored open violation as the window arithmetic continues it. */
export const spanOf = (v: Pick<SlaViolationDoc, 'start' | 'end' | 'actual' | 'lastBreachAt'>): Span => ({
  start: v.start.getTime(), end: v.end ? v.end.getTime() : null, actual: v.actual, lastBreachAt: v.lastBreachAt.getTime(),
});
