import type { Models } from '../models.js';
import { inChunks, pushTo, reachable } from './batch.js';

/** How far a fault travels down the topology. */
export interface DownstreamOptions {
  /**
   * Also treat containment as a failure path (a site's fault reaches the gNBs bundled in it).
   * Off by default: the SDL defines impact along `RELIES_ON` only ("failures propagate along
   * it"); alarm correlation may want containment too.
   */
  followBundled?: boolean;
}

/** What a walk below some roots found. */
export interface DependentsWalk {
  /** The roots, then every resource below them, nearest first (ids ascending within a level), each once. */
  found: string[];
  /** parent id → ids of its direct dependents; only when the walk had several roots to tell apart. */
  edges?: Map<string, string[]>;
}

/** The dependents of one frontier, packed as parallel arrays (see `findDependents`). */
interface PackedDependents {
  ids: string[];
  reliesOn?: string[][];
  bundledIn?: (string | null)[];
}

/**
 * Resources relying on (or, with `followBundled`, bundled in) any of `ids`. The `$group` packs
 * them into one reply document of parallel arrays instead of one document each: per-document
 * encoding dominates a walk that returns thousands of resources. Their own edges come along
 * only `withEdges` (pushing arrays is the costly part). A reply is capped at 16 MB, i.e. some
 * 300,000 dependents of one chunk of frontier ids.
 */
async function findDependents(models: Pick<Models, 'Resource'>, ids: string[], options: DownstreamOptions, withEdges: boolean): Promise<PackedDependents> {
  const match = options.followBundled ? { $or: [{ reliesOn: { $in: ids } }, { bundledIn: { $in: ids } }] } : { reliesOn: { $in: ids } };
  const pack = {
    _id: null,
    ids: { $push: '$_id' },
    ...(withEdges ? { reliesOn: { $push: { $ifNull: ['$reliesOn', []] } } } : {}),
    ...(withEdges && options.followBundled ? { bundledIn: { $push: { $ifNull: ['$bundledIn', null] } } } : {}),
  };
  const [packed] = await models.Resource.aggregate<PackedDependents>([{ $match: match }, { $group: pack }]).exec();
  return packed ?? { ids: [] };
}

/** Adds the edges from this level's parents (`inFrontier`) to the dependents in `packed`. */
function recordEdges(edges: Map<string, string[]>, packed: PackedDependents, inFrontier: Set<string>): void {
  packed.ids.forEach((id, i) => {
    // Only edges to this level's parents: edges to earlier levels were recorded back then.
    const parents = new Set(packed.reliesOn![i].filter((parent) => inFrontier.has(parent)));
    const container = packed.bundledIn?.[i];
    if (container && inFrontier.has(container)) parents.add(container);
    for (const parent of parents) pushTo(edges, parent, id);
  });
}

/**
 * Finds every resource below `rootIds` level by level: one `{ reliesOn: { $in: frontier } }`
 * query per topology level (chunked only for enormous frontiers) for all roots together.
 */
export async function exploreDependents(models: Pick<Models, 'Resource'>, rootIds: readonly string[], options: DownstreamOptions = {}): Promise<DependentsWalk> {
  const withEdges = new Set(rootIds).size > 1;
  const edges = withEdges ? new Map<string, string[]>() : undefined;
  const found = [...new Set(rootIds)];
  const seen = new Set(found);
  let frontier = found;
  while (frontier.length) {
    const inFrontier = new Set(frontier);
    const packs = await inChunks(frontier, (ids) => findDependents(models, ids, options, withEdges));
    const next: string[] = [];
    for (const packed of packs) {
      if (edges) recordEdges(edges, packed, inFrontier);
      for (const id of packed.ids) {
        if (!seen.has(id)) {
          seen.add(id);
          next.push(id);
        }
      }
    }
    // Ids ascending within a level, as `reachable` orders them: independent of the database's row order.
    for (const id of next.sort()) found.push(id);
    frontier = next;
  }
  return { found, edges };
}

/** Each root's share of a walk: everything found for a lone root, else what its edges reach. */
export function closuresOf(walk: DependentsWalk, rootIds: readonly string[]): Map<string, string[]> {
  return new Map(rootIds.map((root) => [root, walk.edges ? reachable([root], walk.edges) : walk.found]));
}

/**
 * Downstream closure of each root: the root first, then every resource that relies on it
 * directly or transitively (and, with `followBundled`, is bundled in it), nearest first and
 * ids ascending within a distance, each once. A handful of database commands (one per level)
 * for all roots together, whatever the closure sizes. Unknown roots yield just themselves.
 * Reusable by alarm correlation and inventory events.
 */
export async function downstreamClosure(models: Pick<Models, 'Resource'>, rootIds: readonly string[], options: DownstreamOptions = {}): Promise<Map<string, string[]>> {
  return closuresOf(await exploreDependents(models, rootIds, options), rootIds);
}
