import { badUserInput } from '../../../kit/errors.js';
import type { InventoryContext } from './context.js';

/** Largest page of `resourceTopology`: the whole large world is ~9,000 resources, two pages. */
const MAX_TOPOLOGY_PAGE = 10_000;

interface ResourceTopologyArgs {
  ids?: string[] | null;
  first?: number | null;
  after?: string | null;
}

interface TopologyRow {
  _id: string;
  category: string;
  reliesOn?: string[] | null;
  bundledIn?: string | null;
}

/**
 * `Query.resourceTopology` (@inaccessible): the edges other subgraphs replicate (assurance keeps
 * the whole topology in memory to correlate alarm storms without a round trip per alarm). Pages
 * are keyset pages on `_id` (the cursor is the last id, not an offset), so a replica reading
 * while resources are added never skips or repeats one. Only the four fields replicas need are
 * read: a page of 5,000 is one small reply.
 */
export async function resourceTopology(_: unknown, args: ResourceTopologyArgs, ctx: InventoryContext) {
  const first = args.first ?? 5000;
  if (!Number.isInteger(first) || first < 0 || first > MAX_TOPOLOGY_PAGE) throw badUserInput('first', `must be an integer between 0 and ${MAX_TOPOLOGY_PAGE}, got ${first}`);
  const filter: Record<string, unknown> = {};
  const range: Record<string, string> = {};
  if (args.after) range.$gt = args.after;
  if (args.ids) filter._id = { $in: args.ids, ...range };
  else if (args.after) filter._id = range;
  const rows = first === 0 ? [] : await ctx.models.Resource.find(filter, { category: 1, reliesOn: 1, bundledIn: 1 })
    .sort({ _id: 1 }).limit(first + 1).batchSize(first + 2).lean<TopologyRow[]>().exec();
  const page = rows.slice(0, first);
  return {
    nodes: page.map((r) => ({ id: r._id, category: r.category, reliesOn: r.reliesOn ?? [], bundledIn: r.bundledIn ?? null })),
    endCursor: page.length ? page[page.length - 1]._id : null,
    hasNextPage: rows.length > first,
  };
}
