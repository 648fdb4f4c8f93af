import type DataLoader from 'dataloader';
import { parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import type { SubgraphContext } from '../../../kit/subgraph.js';
import type { Loaders } from '../loaders.js';
import type { Models } from '../models.js';
import type { ChildPage, ChildPageKey } from '../paged-loader.js';

/** What every billing resolver receives. */
export type BillingContext = SubgraphContext<Models, Loaders>;

/** TMF Money: documents store bare amounts next to the currency they are in. */
export function money(amount: number, currency: string) {
  return { amount, currency };
}

/** A connection over one parent's children, loaded in a batch with the same page of its siblings. */
export async function childConnection<T>(loader: DataLoader<ChildPageKey, ChildPage<T>, string>, parentId: string, args: PageArgs, ctx: BillingContext) {
  const page = parsePage(args, ctx.config.maxPageSize);
  const { nodes, totalCount } = await loader.load({ parentId, ...page });
  return toConnection(nodes, totalCount, page);
}
