import { measurementId } from '../domain.js';

/** What a measurement is about. */
export type MeasuredSubject = { resourceId: string; serviceId?: undefined } | { serviceId: string; resourceId?: undefined };

/**
 * Identifier of one series' value over one period. Resources keep the seed's
 * `<resourceId>/<indicator>/<granularity>/<ISO time>`; services are prefixed with `service/` as
 * resource and service ids are assigned independently and could coincide.
 */
export function measurementKey(subject: MeasuredSubject, indicator: string, granularity: string, time: Date): string {
  return subject.serviceId !== undefined
    ? `service/${measurementId(subject.serviceId, indicator, granularity, time)}`
    : measurementId(subject.resourceId, indicator, granularity, time);
}
