import DataLoader from 'dataloader';
import { byIdLoader, groupBy, ONE_ROUND_TRIP, wholeBatch } from '../../kit/loaders.js';
import { groupPageLoader, pagedGroups, pageShape } from '../../kit/paged-groups.js';
import type { Page } from '../../kit/pagination.js';
import { acceptedStates, ALARM_ORDER } from './alarm-filter.js';
import type { AlarmState } from './domain.js';
import type { AlarmDoc, Models } from './models.js';
import { createPerformanceLoaders } from './performance/loaders.js';
import { createSlaLoaders } from './sla/loaders.js';

/** Which alarms of which resource: `state` null (and `active` null or absent) means every state. */
export interface ResourceAlarmsKey {
  resourceId: string;
  state: AlarmState | null;
  /** true = RAISED or UPDATED, false = CLEARED; combines with `state` by AND. */
  active?: boolean | null;
}

/** The states a key accepts, as a stable string ('' = every state). */
const statesOf = (k: ResourceAlarmsKey) => acceptedStates(k.state, k.active)?.join(',') ?? '';

/** Which page of which root cause's child alarms. */
export interface ChildAlarmsKey {
  parentAlarmId: string;
  page: Page;
}

/** One query for alarms of many resources, even when the keys ask for different states. */
function resourceAlarmsQuery(keys: readonly ResourceAlarmsKey[]): Record<string, unknown> {
  const clauses = [...groupBy(keys, statesOf)].map(([states, group]) => ({
    resourceId: { $in: [...new Set(group.map((k) => k.resourceId))] },
    ...(states && { state: states.includes(',') ? { $in: states.split(',') } : states }),
  }));
  return clauses.length === 1 ? clauses[0] : { $or: clauses };
}

function loadResourceAlarms(models: Models) {
  return async (keys: readonly ResourceAlarmsKey[]): Promise<AlarmDoc[][]> => {
    // Lists per resource have no natural bound (a flapping port collects thousands of cleared alarms).
    const docs = await models.Alarm.find(resourceAlarmsQuery(keys)).sort(ALARM_ORDER).batchSize(ONE_ROUND_TRIP).lean<AlarmDoc[]>();
    // Docs arrive newest first; appending in that order keeps every resource's list sorted.
    const byResource = groupBy(docs, (d) => d.resourceId);
    return keys.map((k) => {
      const states = acceptedStates(k.state, k.active);
      return (byResource.get(k.resourceId) ?? []).filter((d) => states === null || states.includes(d.state));
    });
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

const resourceAlarmsCacheKey = (k: ResourceAlarmsKey) => `${statesOf(k) || '*'}|${k.resourceId}`;

/** Per-request DataLoaders of the assurance subgraph: each relation costs one command per request shape. */
export function createLoaders(models: Models) {
  return {
    /** Alarm by id; `null` for unknown ids. */
    alarmById: byIdLoader((ids) => models.Alarm.find({ _id: { $in: ids } }).batchSize(wholeBatch(ids.length)).lean<AlarmDoc[]>()),
    /** Alarms whose alarmed object is the resource (in one state, or all), newest first. */
    alarmsByResource: new DataLoader<ResourceAlarmsKey, AlarmDoc[], string>(loadResourceAlarms(models), { cacheKeyFn: resourceAlarmsCacheKey }),
    /** A page of the alarms correlated under a root cause, newest first, with their total. */
    childAlarmPage: childAlarmPageLoader(models),
    ...createPerformanceLoaders(models),
    ...createSlaLoaders(models),
  };
}

/** The assurance subgraph's per-request loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
