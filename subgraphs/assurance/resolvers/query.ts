import { parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import type { AlarmFilterInput } from '../alarm-filter.js';
import { findAlarmPage } from '../alarm-page.js';
import type { Context } from './context.js';
import { toAlarm, toAlarmOrNull } from './shapes.js';

/** Query root: single alarms and the filtered, paged alarm list. */
export const Query = {
  alarm: async (_: unknown, args: { id: string }, ctx: Context) => toAlarmOrNull(await ctx.loaders.alarmById.load(args.id)),

  alarms: async (_: unknown, args: PageArgs & { filter?: AlarmFilterInput | null }, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const { totalCount, nodes } = await findAlarmPage(ctx.models, args.filter, page);
    // Listed alarms are often expanded again (e.g. a child's parentAlarm in the same list).
    for (const doc of nodes) ctx.loaders.alarmById.prime(doc._id, doc);
    return toConnection(nodes.map(toAlarm), totalCount, page);
  },
};
