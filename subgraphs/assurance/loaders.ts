import DataLoader from 'dataloader';
import { byIdLoader, groupBy, ONE_ROUND_TRIP, wholeBatch } from '../../kit/loaders.js';
import { groupPageLoader, pagedGroups, pageShape } from '../../kit/paged-groups.js';
import type { Page } from '../../kit/pagination.js';
import { ALARM_ORDER } from './alarm-filter.js';
import type { AlarmState } from './domain.js';
import { MEASUREMENT_ORDER, measurementQueryShape, measurementStages, type MeasurementQuery } from './measurement-query.js';
import type { AlarmDoc, Models } from './models.js';

/** Which alarms of which resource: `state` null means every state. */
export interface ResourceAlarmsKey {
  resourceId: string;
  state: AlarmState | null;
}

/** Which page of which root cause's child alarms. */
export interface ChildAlarmsKey {
  parentAlarmId: string;
  page: Page;
}

/** Which measurements of which resource. */
export interface MeasurementsKey {
  resourceId: string;
  query: MeasurementQuery;
}

/** A measurement row: a stored point (with its `_id`) or a roll-up bucket (without). */
export interface MeasurementRow {
  _id?: string;
  resourceId: string;
  indicator: string;
  value: number;
  unit?: string | null;
  granularity: string;
  time: Date;
}

/** One query for alarms of many resources, even when the keys ask for different states. */
function resourceAlarmsQuery(keys: readonly ResourceAlarmsKey[]): Record<string, unknown> {
  const clauses = [...groupBy(keys, (k) => k.state ?? '')].map(([state, group]) => ({
    resourceId: { $in: [...new Set(group.map((k) => k.resourceId))] },
    ...(state && { state }),
  }));
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

function loadResourceAlarms(models: Models) {
  return async (keys: readonly ResourceAlarmsKey[]): Promise<AlarmDoc[][]> => {
    // Lists per resource have no natural bound (a flapping port collects thousands of cleared alarms).
    const docs = await models.Alarm.find(resourceAlarmsQuery(keys)).sort(ALARM_ORDER).batchSize(ONE_ROUND_TRIP).lean<AlarmDoc[]>();
    // Docs arrive newest first; appending in that order keeps every resource's list sorted.
    const byResource = groupBy(docs, (d) => d.resourceId);
    return keys.map((k) => (byResource.get(k.resourceId) ?? []).filter((d) => k.state === null || d.state === k.state));
  };
}

function childAlarmPageLoader(models: Models) {
  return groupPageLoader<ChildAlarmsKey, AlarmDoc>({
    groupOf: (k) => k.parentAlarmId,
    shapeOf: (k) => pageShape(k.page),
    load: (parentIds, { page }) => pagedGroups<AlarmDoc>(models.Alarm, {
      stages: [{ $match: { parentAlarmId: { $in: parentIds } } }], sort: ALARM_ORDER, groupField: 'parentAlarmId', page, groups: parentIds.length,
    }),
  });
}

function measurementPageLoader(models: Models) {
  return groupPageLoader<MeasurementsKey, MeasurementRow>({
    groupOf: (k) => k.resourceId,
    shapeOf: (k) => measurementQueryShape(k.query),
    load: (resourceIds, { query }) => pagedGroups<MeasurementRow>(models.Measurement, {
      stages: measurementStages(resourceIds, query), sort: MEASUREMENT_ORDER, groupField: 'resourceId', page: query.page, groups: resourceIds.length,
    }),
  });
}

const resourceAlarmsCacheKey = (k: ResourceAlarmsKey) => `${k.state ?? '*'}|${k.resourceId}`;

/** Per-request DataLoaders of the assurance subgraph: each relation costs one command per request shape. */
export function createLoaders(models: Models) {
  return {
    /** Alarm by id; `null` for unknown ids. */
    alarmById: byIdLoader((ids) => models.Alarm.find({ _id: { $in: ids } }).batchSize(wholeBatch(ids.length)).lean<AlarmDoc[]>()),
    /** Alarms whose alarmed object is the resource (in one state, or all), newest first. */
    alarmsByResource: new DataLoader<ResourceAlarmsKey, AlarmDoc[], string>(loadResourceAlarms(models), { cacheKeyFn: resourceAlarmsCacheKey }),
    /** A page of the alarms correlated under a root cause, newest first, with their total. */
    childAlarmPage: childAlarmPageLoader(models),
    /** A page of a resource's measurements (stored points or roll-ups), oldest first, with their total. */
    measurementPage: measurementPageLoader(models),
  };
}

/** The assurance subgraph's per-request loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
