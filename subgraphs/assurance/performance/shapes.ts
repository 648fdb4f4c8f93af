import { stubOrNull } from '../../../kit/entity-stub.js';
import type { MeasurementRow } from '../measurement-query.js';
import { measurementKey } from './ids.js';

/**
 * A measurement as the SDL shapes it: about a resource or a service (the other is null).
 * Roll-up buckets have no stored id; theirs follows the stored ids' pattern, so a bucket and a
 * stored point of the same period share an id.
 */
export function toMeasurement(row: MeasurementRow) {
  const subject = row.serviceId ? { serviceId: row.serviceId } : { resourceId: row.resourceId! };
  return {
    id: row._id ?? measurementKey(subject, row.indicator, row.granularity, row.time),
    resource: stubOrNull('Resource', row.resourceId),
    service: stubOrNull('Service', row.serviceId),
    indicator: row.indicator,
    value: row.value,
    unit: row.unit ?? null,
    granularity: row.granularity,
    time: row.time,
  };
}
