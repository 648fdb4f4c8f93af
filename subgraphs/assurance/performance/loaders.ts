import type DataLoader from 'dataloader';
import { groupPageLoader, pagedGroups, type GroupPage } from '../../../kit/paged-groups.js';
import { MEASUREMENT_ORDER, measurementQueryShape, measurementStages, type MeasuredField, type MeasurementQuery, type MeasurementRow } from '../measurement-query.js';
import type { Models } from '../models.js';

/** Which measurements of which resource. */
export interface MeasurementsKey {
  resourceId: string;
  query: MeasurementQuery;
}

/** Which measurements of which service. */
export interface ServiceMeasurementsKey {
  serviceId: string;
  query: MeasurementQuery;
}

/** Pages of measurements of many resources (or services) asking one query shape, in one aggregation. */
function measurementPageLoader<K extends { query: MeasurementQuery }>(models: Models, field: MeasuredField, subjectOf: (key: K) => string): DataLoader<K, GroupPage<MeasurementRow>, string> {
  return groupPageLoader<K, MeasurementRow>({
    groupOf: subjectOf,
    shapeOf: (k) => measurementQueryShape(k.query),
    load: (ids, { query }) => pagedGroups<MeasurementRow>(models.Measurement, {
      stages: measurementStages(field, ids, query), sort: MEASUREMENT_ORDER, groupField: field, page: query.page, groups: ids.length,
    }),
  });
}

/** The per-request measurement loaders of the assurance subgraph. */
export function createPerformanceLoaders(models: Models) {
  return {
    /** A page of a resource's measurements (stored points or roll-ups), oldest first, with their total. */
    measurementPage: measurementPageLoader<MeasurementsKey>(models, 'resourceId', (k) => k.resourceId),
    /** A page of a service's measurements (stored points or roll-ups), oldest first, with their total. */
    serviceMeasurementPage: measurementPageLoader<ServiceMeasurementsKey>(models, 'serviceId', (k) => k.serviceId),
  };
}
