import DataLoader from 'dataloader';
import type { Page } from '../../kit/pagination.js';
import { ALARM_ORDER } from './alarm-filter.js';
import type { AlarmState } from './domain.js';
import { MEASUREMENT_ORDER, measurementQueryShape, measurementStages, type MeasurementQuery } from './measurement-query.js';
import type { AlarmDoc, Models } from './models.js';
import { groupBy, pagedGroups, type GroupPage } from './paged-groups.js';

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

/**
 * Lists per resource have no natural bound (a flapping port collects thousands of cleared
 * alarms); a batch this large still fits one reply, so a request never pays a getMore.
 */
const UNBOUNDED_BATCH = 100_000;

const emptyPage = <T>(): GroupPage<T> => ({ totalCount: 0, nodes: [] });

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
    const docs = await models.Alarm.find(resourceAlarmsQuery(keys)).sort(ALARM_ORDER).batchSize(UNBOUNDED_BATCH).lean<AlarmDoc[]>();
    // Docs arrive newest first; appending in that order keeps every resource's list sorted.
    const byResource = groupBy(docs, (d) => d.resourceId);
    return keys.map((k) => (byResource.get(k.resourceId) ?? []).filter((d) => k.state === null || d.state === k.state));
  };
}

function loadChildAlarmPages(models: Models) {
  return async (keys: readonly ChildAlarmsKey[]): Promise<GroupPage<AlarmDoc>[]> => {
    const pages = new Map<string, GroupPage<AlarmDoc>>();
    await Promise.all([...groupBy(keys, (k) => `${k.page.offset}:${k.page.limit}`).values()].map(async (group) => {
      const parentIds = [...new Set(group.map((k) => k.parentAlarmId))];
      const byParent = await pagedGroups<AlarmDoc>(models.Alarm, {
        stages: [{ $match: { parentAlarmId: { $in: parentIds } } }], sort: ALARM_ORDER, groupField: 'parentAlarmId', page: group[0].page, groups: parentIds.length,
      });
      for (const k of group) pages.set(childAlarmsCacheKey(k), byParent.get(k.parentAlarmId) ?? emptyPage());
    }));
    return keys.map((k) => pages.get(childAlarmsCacheKey(k)) ?? emptyPage());
  };
}

function loadMeasurementPages(models: Models) {
  return async (keys: readonly MeasurementsKey[]): Promise<GroupPage<MeasurementRow>[]> => {
    const pages = new Map<string, GroupPage<MeasurementRow>>();
    await Promise.all([...groupBy(keys, (k) => measurementQueryShape(k.query)).values()].map(async (group) => {
      const resourceIds = [...new Set(group.map((k) => k.resourceId))];
      const query = group[0].query;
      const byResource = await pagedGroups<MeasurementRow>(models.Measurement, {
        stages: measurementStages(resourceIds, query), sort: MEASUREMENT_ORDER, groupField: 'resourceId', page: query.page, groups: resourceIds.length,
      });
      for (const k of group) pages.set(measurementsCacheKey(k), byResource.get(k.resourceId) ?? emptyPage());
    }));
    return keys.map((k) => pages.get(measurementsCacheKey(k)) ?? emptyPage());
  };
}

const resourceAlarmsCacheKey = (k: ResourceAlarmsKey) => `${k.state ?? '*'}|${k.resourceId}`;
const childAlarmsCacheKey = (k: ChildAlarmsKey) => `${k.page.offset}:${k.page.limit}|${k.parentAlarmId}`;
const measurementsCacheKey = (k: MeasurementsKey) => `${measurementQueryShape(k.query)}|${k.resourceId}`;

/** Per-request DataLoaders of the assurance subgraph: each relation costs one command per request shape. */
export function createLoaders(models: Models) {
  return {
    /** Alarm by id; `null` for unknown ids. */
    alarmById: new DataLoader<string, AlarmDoc | null>(async (ids) => {
      const docs = await models.Alarm.find({ _id: { $in: [...ids] } }).batchSize(ids.length + 1).lean<AlarmDoc[]>();
      const byId = new Map(docs.map((d) => [d._id, d]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Alarms whose alarmed object is the resource (in one state, or all), newest first. */
    alarmsByResource: new DataLoader<ResourceAlarmsKey, AlarmDoc[], string>(loadResourceAlarms(models), { cacheKeyFn: resourceAlarmsCacheKey }),
    /** A page of the alarms correlated under a root cause, newest first, with their total. */
    childAlarmPage: new DataLoader<ChildAlarmsKey, GroupPage<AlarmDoc>, string>(loadChildAlarmPages(models), { cacheKeyFn: childAlarmsCacheKey }),
    /** A page of a resource's measurements (stored points or roll-ups), oldest first, with their total. */
    measurementPage: new DataLoader<MeasurementsKey, GroupPage<MeasurementRow>, string>(loadMeasurementPages(models), { cacheKeyFn: measurementsCacheKey }),
  };
}

/** The assurance subgraph's per-request loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
