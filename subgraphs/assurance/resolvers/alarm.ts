import { parsePage, toConnection, type PageArgs } from '../../../kit/pagination.js';
import type { Context } from './context.js';
import { toAlarm, toAlarmOrNull, type AlarmNode } from './shapes.js';

/** Alarm entity: reference resolution and correlation relations, all through loaders. */
export const Alarm = {
  __resolveReference: async (ref: { id: string }, ctx: Context) => toAlarmOrNull(await ctx.loaders.alarmById.load(ref.id)),

  parentAlarm: async (alarm: AlarmNode, _: unknown, ctx: Context) =>
    alarm.parentAlarmId ? toAlarmOrNull(await ctx.loaders.alarmById.load(alarm.parentAlarmId)) : null,

  childAlarms: async (alarm: AlarmNode, args: PageArgs, ctx: Context) => {
    const page = parsePage(args, ctx.config.maxPageSize);
    const { totalCount, nodes } = await ctx.loaders.childAlarmPage.load({ parentAlarmId: alarm.id, page });
    return toConnection(nodes.map(toAlarm), totalCount, page);
  },

  // A peer whose id no longer resolves is dropped: the list is non-null items.
  correlatedAlarms: async (alarm: AlarmNode, _: unknown, ctx: Context) => {
    const peers = await ctx.loaders.alarmById.loadMany(alarm.correlatedAlarmIds);
    return peers.flatMap((p) => (p && !(p instanceof Error) ? [toAlarm(p)] : []));
  },
};
