import { createHash } from 'node:crypto';
import { ACTIVE_ALARM_STATES } from '../domain.js';
import type { Models } from '../models.js';
import { alarmEventsBetween, Group, groupCacheOf, outboxMark } from './group-cache.js';
import type { ResourceSet } from './set-impact-api.js';

/** What an alarm's impact is computed over: the alarm's own resource, or its group's. */
export interface ImpactScope {
  alarmId: string;
  resourceId: string;
  isRootCause: boolean;
}

/**
 * Distinct resources of each root cause's active children: one `distinct` per root, in parallel
 * (on 100,000 children it costs about half of a `$group` with `$addToSet`).
 */
async function childResources(models: Models, rootIds: string[]): Promise<Map<string, string[]>> {
  const lists = await Promise.all(rootIds.map((id) =>
    models.Alarm.distinct('resourceId', { parentAlarmId: id, state: { $in: [...ACTIVE_ALARM_STATES] } }).exec() as Promise<string[]>));
  return new Map(rootIds.map((id, i) => [id, lists[i]]));
}

/** The set of one resource; alarms on the same resource share it. Small: sent as is, never remembered. */
export const singleResource = (resourceId: string): ResourceSet => ({ key: `r:${resourceId}`, resourceIds: [resourceId], remember: false });
const single = (scope: ImpactScope) => singleResource(scope.resourceId);

// Group sets are named by content, so inventory can remember one across requests and alarms.
const groupKeys = new WeakMap<string[], string>();

/** A group's set: the root's resource, then its children's other resources ascending. */
function groupSet(rootResourceId: string, children: string[]): ResourceSet {
  let digest = groupKeys.get(children);
  if (!digest) {
    const hash = createHash('sha1');
    for (const id of children) hash.update(id).update('\n');
    groupKeys.set(children, (digest = hash.digest('base64url')));
  }
  return { key: `g:${rootResourceId}:${digest}`, resourceIds: [rootResourceId, ...children.filter((id) => id !== rootResourceId)], remember: true };
}

/**
 * The resource set of each alarm's impact: a root cause's group is itself plus its ACTIVE
 * children (cleared ones no longer hurt anyone), its own resource first so inventory can skip
 * everything inside that resource's closure; any other alarm is just its alarmed object.
 * Groups come from the process-wide cache, caught up with the outbox events since it was
 * current (one counter read, one events read); the ones that cannot be are re-read (one
 * `distinct` each), and `onRead` hears of those roots first and is waited for too (their own
 * impact is computed meanwhile).
 */
export async function resourceSets(models: Models, scopes: readonly ImpactScope[], onRead?: (roots: readonly ImpactScope[]) => Promise<unknown>): Promise<ResourceSet[]> {
  const roots = [...new Map(scopes.filter((s) => s.isRootCause).map((s) => [s.alarmId, s])).values()];
  if (!roots.length) return scopes.map(single);
  const cache = groupCacheOf(models);
  const mark = await outboxMark(models);
  const now = Date.now();
  const groups = new Map<string, Group>();
  const behind: [ImpactScope, Group][] = [];
  const misses: ImpactScope[] = [];
  for (const root of roots) {
    const group = cache.get(root.alarmId);
    if (group?.isCurrent(mark, now)) groups.set(root.alarmId, group);
    else if (group?.canCatchUp(mark, now)) behind.push([root, group]);
    else misses.push(root);
  }
  if (behind.length) {
    const events = await alarmEventsBetween(models, Math.min(...behind.map(([, g]) => g.mark)), mark);
    for (const [root, group] of behind) {
      if (group.catchUp(root.alarmId, events, mark)) groups.set(root.alarmId, group);
      else misses.push(root);
    }
  }
  if (misses.length) {
    const [read] = await Promise.all([childResources(models, misses.map((r) => r.alarmId)), onRead?.(misses)]);
    for (const root of misses) {
      const group = new Group(mark, now, new Set(read.get(root.alarmId)));
      cache.set(root.alarmId, group);
      groups.set(root.alarmId, group);
    }
  }
  return scopes.map((scope) => {
    const ids = scope.isRootCause ? groups.get(scope.alarmId)!.resourceIds() : [];
    return ids.some((id) => id !== scope.resourceId) ? groupSet(scope.resourceId, ids) : single(scope);
  });
}
