import { SEVERITIES, type PerceivedSeverity } from '../domain.js';
import type { AlarmDoc } from '../models.js';

/** `ServiceHealthStatus`. */
export type HealthStatus = 'OK' | 'DEGRADED' | 'DOWN';

/** Severities at which a service-affecting alarm takes the service down (X.733: service out or seriously degraded). */
const OUTAGE_SEVERITIES: readonly PerceivedSeverity[] = ['CRITICAL', 'MAJOR'];

/**
 * The status the active alarms on a service's resources (and everything above them) imply:
 * DOWN when one of them affects service at CRITICAL or MAJOR severity, DEGRADED when there is
 * any other, OK when there is none.
 */
export function healthStatus(alarms: readonly Pick<AlarmDoc, 'serviceAffecting' | 'perceivedSeverity'>[]): HealthStatus {
  if (alarms.some((a) => a.serviceAffecting && OUTAGE_SEVERITIES.includes(a.perceivedSeverity))) return 'DOWN';
  return alarms.length ? 'DEGRADED' : 'OK';
}

/** Most severe first, then most recently raised, then by id: the order a CSR reads a list of issues in. */
export function bySeverityThenRecency(a: AlarmDoc, b: AlarmDoc): number {
  return (
    SEVERITIES.indexOf(a.perceivedSeverity) - SEVERITIES.indexOf(b.perceivedSeverity) ||
    b.alarmRaisedTime.getTime() - a.alarmRaisedTime.getTime() ||
    (a._id < b._id ? -1 : a._id > b._id ? 1 : 0)
  );
}
