/**
 * The assurance vocabulary as stored: every enum in its GraphQL SCREAMING_SNAKE spelling, so
 * documents map to the SDL without translation.
 */

/** X.733 severities from most to least severe: the order `minSeverity` filters use (see the SDL). */
export const SEVERITIES = ['CRITICAL', 'MAJOR', 'MINOR', 'WARNING', 'INDETERMINATE', 'CLEARED'] as const;
export type PerceivedSeverity = (typeof SEVERITIES)[number];

export const ALARM_STATES = ['RAISED', 'UPDATED', 'CLEARED'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** States in which an alarm is still active: reports of the same fault fold into it. */
export const ACTIVE_ALARM_STATES: readonly AlarmState[] = ['RAISED', 'UPDATED'];

export const ACK_STATES = ['ACKNOWLEDGED', 'UNACKNOWLEDGED'] as const;
export type AckState = (typeof ACK_STATES)[number];

export const ALARM_TYPES = [
  'COMMUNICATIONS_ALARM', 'PROCESSING_ERROR_ALARM', 'ENVIRONMENTAL_ALARM', 'QUALITY_OF_SERVICE_ALARM', 'EQUIPMENT_ALARM',
  'INTEGRITY_VIOLATION', 'OPERATIONAL_VIOLATION', 'PHYSICAL_VIOLATION', 'SECURITY_SERVICE_OR_MECHANISM_VIOLATION', 'TIME_DOMAIN_VIOLATION',
] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];

export const PLANNED_OUTAGE_INDICATORS = ['IN_SERVICE', 'OUT_OF_SERVICE'] as const;
export const THRESHOLD_DIRECTIONS = ['UP', 'DOWN'] as const;

/** TMF628 granularities, finest first, with the length of their period. */
export const GRANULARITY_MINUTES = { G_1MN: 1, G_5MN: 5, G_15MN: 15, G_1H: 60, G_24H: 1440 } as const;
export type Granularity = keyof typeof GRANULARITY_MINUTES;
export const GRANULARITIES = Object.keys(GRANULARITY_MINUTES) as Granularity[];

/** Severities at least as severe as `min` (CRITICAL > MAJOR > … > CLEARED). */
export function severitiesAtLeast(min: PerceivedSeverity): PerceivedSeverity[] {
  return SEVERITIES.slice(0, SEVERITIES.indexOf(min) + 1);
}

/** Granularities not coarser than `granularity`: the stored points a roll-up to it can use. */
export function granularitiesUpTo(granularity: Granularity): Granularity[] {
  return GRANULARITIES.filter((g) => GRANULARITY_MINUTES[g] <= GRANULARITY_MINUTES[granularity]);
}

/**
 * Indicator names are camelCase (`prbUtilisation`, `packetLoss`) as the SDL documents them; the
 * world data and some EMS feeds spell them SCREAMING_SNAKE (`PACKET_LOSS`), which we accept too.
 */
export function normalizeIndicator(name: string): string {
  if (!/^[A-Z][A-Z0-9_]*$/.test(name)) return name;
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** Identifier of the value of one indicator of one resource over one period. */
export function measurementId(resourceId: string, indicator: string, granularity: string, time: Date): string {
  return `${resourceId}/${indicator}/${granularity}/${time.toISOString()}`;
}
