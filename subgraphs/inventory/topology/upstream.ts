/** What the upward walk needs of a resource. */
export interface UpstreamNode {
  _id: string;
  reliesOn: string[];
}

/**
 * Everything `start` relies on, directly or transitively, following `reliesOn` upward:
 * breadth-first so the nearest come first; within a level in recorded order (parent by parent,
 * each parent's `reliesOn` in stored order); each once; never `start` itself, even through a
 * cycle in recorded data. `loadMany` fetches one level at a time (a per-request DataLoader, so
 * the walks of several resources in one query share their database round trips). Ids that
 * resolve to nothing are skipped.
 */
export async function upstreamClosure<T extends UpstreamNode>(start: T, loadMany: (ids: string[]) => Promise<(T | null)[]>): Promise<T[]> {
  const seen = new Set<string>([start._id]);
  const result: T[] = [];
  let frontier = unseen(start.reliesOn, seen);
  while (frontier.length) {
    const level = (await loadMany(frontier)).filter((node): node is T => node !== null);
    result.push(...level);
    frontier = unseen(level.flatMap((node) => node.reliesOn), seen);
  }
  return result;
}

/** The ids not seen yet, in order, each once; marks them seen. */
function unseen(ids: readonly string[], seen: Set<string>): string[] {
  const fresh: string[] = [];
  for (const id of ids) {
    if (!seen.has(id)) {
      seen.add(id);
      fresh.push(id);
    }
  }
  return fresh;
}
