import type { Models } from '../models.js';
import { inChunks, pushTo, reachable, WALK_BATCH_SIZE } from './batch.js';

/** How far a fault travels down the topology. */
export interface DownstreamOptions {
  /**
   * Also treat containment as a failure path (a site's fault reaches the gNBs bundled in it).
   * Off by default: the SDL defines impact along `RELIES_ON` only ("failures propagate along
   * it"); alarm correlation may want containment too.
   */
  followBundled?: boolean;
}

/** The explored part of the topology below some roots: parent id → ids of its direct dependents. */
export type DependentsGraph = Map<string, string[]>;

interface DependentRow {
  _id: string;
  reliesOn: string[];
  bundledIn: string | null;
}

/**
 * Finds every resource below `rootIds` level by level: one `{ reliesOn: { $in: frontier } }`
 * query per topology level (chunked only for enormous frontiers) for all roots together,
 * projecting just the edge fields. Returns the edges found, parent → dependents.
 */
export async function exploreDependents(models: Pick<Models, 'Resource'>, rootIds: readonly string[], options: DownstreamOptions = {}): Promise<DependentsGraph> {
  const graph: DependentsGraph = new Map();
  const seen = new Set(rootIds);
  let frontier = [...seen];
  while (frontier.length) {
    const inFrontier = new Set(frontier);
    const rows = await inChunks(frontier, (ids) => findDependents(models, ids, options));
    const next: string[] = [];
    for (const row of rows) {
      // Only edges to this level's parents: edges to earlier levels were recorded back then.
      const parents = row.reliesOn.filter((id) => inFrontier.has(id));
      if (options.followBundled && row.bundledIn && inFrontier.has(row.bundledIn)) parents.push(row.bundledIn);
      for (const parent of new Set(parents)) pushTo(graph, parent, row._id);
      if (!seen.has(row._id)) {
        seen.add(row._id);
        next.push(row._id);
      }
    }
    frontier = next;
  }
  return graph;
}

function findDependents(models: Pick<Models, 'Resource'>, ids: string[], options: DownstreamOptions): Promise<DependentRow[]> {
  const filter = options.followBundled ? { $or: [{ reliesOn: { $in: ids } }, { bundledIn: { $in: ids } }] } : { reliesOn: { $in: ids } };
  return models.Resource.find(filter, { _id: 1, reliesOn: 1, bundledIn: 1 }).batchSize(WALK_BATCH_SIZE).lean<DependentRow[]>().exec();
}

/**
 * Downstream closure of each root: the root first, then every resource that relies on it
 * directly or transitively (and, with `followBundled`, is bundled in it), nearest first, each
 * once. A handful of database commands for all roots together, whatever the closure sizes.
 * Unknown roots yield just themselves. Reusable by alarm correlation and inventory events.
 */
export async function downstreamClosure(models: Pick<Models, 'Resource'>, rootIds: readonly string[], options: DownstreamOptions = {}): Promise<Map<string, string[]>> {
  const graph = await exploreDependents(models, rootIds, options);
  return new Map(rootIds.map((root) => [root, reachable([root], graph)]));
}
