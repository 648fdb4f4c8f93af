import { normalizeIndicator } from '../domain.js';

/**
 * The TMF628 indicators assurance accepts, by their stored (camelCase) name, with the one unit
 * each is stored in and the range a real value can take. One unit per indicator keeps every
 * aggregate and every SLA comparison unit-safe: a feed reporting latency in seconds is refused
 * rather than averaged with milliseconds.
 */
export const INDICATORS = {
  prbUtilisation: { unit: '%', min: 0, max: 100 },
  latency: { unit: 'ms', min: 0, max: Number.POSITIVE_INFINITY },
  jitter: { unit: 'ms', min: 0, max: Number.POSITIVE_INFINITY },
  packetLoss: { unit: '%', min: 0, max: 100 },
  throughput: { unit: 'Mbps', min: 0, max: Number.POSITIVE_INFINITY },
} as const;

export type Indicator = keyof typeof INDICATORS;

/** The stored name of an indicator given in either spelling (`PACKET_LOSS`, `packetLoss`); undefined when unknown. */
export function indicatorOf(name: string): Indicator | undefined {
  const normalized = normalizeIndicator(name);
  return Object.hasOwn(INDICATORS, normalized) ? (normalized as Indicator) : undefined;
}

/** The accepted spellings, for error messages. */
export const INDICATOR_NAMES = Object.keys(INDICATORS).join(', ');
