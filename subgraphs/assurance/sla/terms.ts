import type { PerceivedSeverity } from '../domain.js';
import type { Indicator } from '../performance/indicators.js';

/** Contracted service levels (the customer subgraph's `SlaTier`), lowest first. */
export const SLA_TIERS = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] as const;
export type SlaTier = (typeof SLA_TIERS)[number];

export const VIOLATION_STATES = ['OPEN', 'CLOSED'] as const;
export type ViolationState = (typeof VIOLATION_STATES)[number];

/** What one tier promises and what a breach of it costs the operator. */
export interface SlaTerms {
  /** Highest window average allowed per indicator (in the indicator's stored unit); indicators left out are not guaranteed. */
  maxima: Partial<Record<Indicator, number>>;
  /** Percent of the monthly fee credited per started hour of breach (whole percents keep the arithmetic exact). */
  creditPercentPerHour: number;
  /** Most of the monthly fee one violation can cost, in percent. */
  creditCapPercent: number;
  /** Severity of the quality-of-service alarm a breach raises. */
  alarmSeverity: PerceivedSeverity;
}

/**
 * The SLA terms of each tier. BRONZE is best effort: no guarantee, so no violation. Values follow
 * common enterprise connectivity SLAs (round-trip latency, jitter, packet loss); throughput and
 * PRB utilisation are capacity indicators, not promises to the customer.
 */
export const SLA_TERMS: Record<SlaTier, SlaTerms | null> = {
  PLATINUM: { maxima: { latency: 10, jitter: 2, packetLoss: 0.1 }, creditPercentPerHour: 10, creditCapPercent: 100, alarmSeverity: 'CRITICAL' },
  GOLD: { maxima: { latency: 20, jitter: 5, packetLoss: 0.5 }, creditPercentPerHour: 5, creditCapPercent: 50, alarmSeverity: 'MAJOR' },
  SILVER: { maxima: { latency: 40, jitter: 10, packetLoss: 1 }, creditPercentPerHour: 2, creditCapPercent: 25, alarmSeverity: 'MINOR' },
  BRONZE: null,
};

/** The target of `indicator` under `tier`; undefined when the tier guarantees nothing for it. */
export function slaTarget(tier: SlaTier | null | undefined, indicator: string): number | undefined {
  const terms = tier ? SLA_TERMS[tier] : null;
  return terms?.maxima[indicator as Indicator];
}

const HOUR_MS = 3_600_000;

/** Money in major units, rounded to cents. */
export interface Money {
  amount: number;
  currency: string;
}

/**
 * The credit a violation of `durationMs` earns under `tier`: the tier's share of the monthly fee
 * per started hour, capped. A violation that has just opened has started its first hour.
 */
export function penaltyEstimate(tier: SlaTier, monthlyFee: Money | null | undefined, durationMs: number): Money | null {
  const terms = SLA_TERMS[tier];
  if (!terms || !monthlyFee) return null;
  const hours = Math.max(1, Math.ceil(durationMs / HOUR_MS));
  const percent = Math.min(terms.creditCapPercent, terms.creditPercentPerHour * hours);
  return { amount: Math.round(monthlyFee.amount * percent) / 100, currency: monthlyFee.currency };
}
