import type DataLoader from 'dataloader';
import type { AlarmDoc } from '../models.js';
import type { Footprint } from './footprint-api.js';
import { bySeverityThenRecency } from './health.js';

/** What resolving footprint alarms needs: ancestors from the topology replica, active alarms per resource. */
export interface FootprintDeps {
  /** Learns resources the replica does not know yet (new ones), so `ancestors` can answer for them. */
  ensure(ids: string[]): Promise<unknown>;
  /** Everything above a resource: what it relies on or is bundled in, transitively. */
  ancestors(id: string): readonly string[];
  activeAlarmsOn: DataLoader<string, AlarmDoc[]>;
}

/**
 * The active alarms that can explain trouble on these footprints: alarms on the footprints'
 * resources or on anything above them (a fault upstream reaches everything below), each once,
 * most severe first. One replica walk per resource (memoised by the replica) and one batched
 * alarm query for every resource of every footprint a request asks about.
 */
export async function alarmsOnFootprints(deps: FootprintDeps, footprints: readonly Footprint[]): Promise<AlarmDoc[]> {
  const own = [...new Set(footprints.flatMap((f) => f.resourceIds))];
  if (!own.length) return [];
  await deps.ensure(own);
  const resources = new Set(own);
  for (const id of own) for (const above of deps.ancestors(id)) resources.add(above);
  const lists = await deps.activeAlarmsOn.loadMany([...resources]);
  const alarms = new Map<string, AlarmDoc>();
  for (const list of lists) {
    if (list instanceof Error) throw list;
    for (const alarm of list) alarms.set(alarm._id, alarm);
  }
  return [...alarms.values()].sort(bySeverityThenRecency);
}
