import {
  acknowledgeAlarm, acknowledgeAlarms, clearAlarm, clearAlarms, commentAlarm, commentAlarms, raiseAlarm, raiseAlarms, unacknowledgeAlarm,
  type AlarmPattern, type RaiseAlarmInput,
} from '../alarms/index.js';
import type { AlarmDoc } from '../models.js';
import type { Context } from './context.js';
import { toAlarm } from './shapes.js';

/**
 * Mutation root (TMF642 alarm management): thin wrappers over alarms/, which the NDJSON route
 * and the SLA evaluation use too. Each changed alarm is primed in the request's loader, so
 * selections on the answer (parentAlarm, childAlarms…) see the stored state.
 */
function fresh(ctx: Context, doc: AlarmDoc) {
  ctx.loaders.alarmById.clear(doc._id).prime(doc._id, doc);
  return toAlarm(doc);
}

export const Mutation = {
  raiseAlarm: async (_: unknown, args: { input: RaiseAlarmInput }, ctx: Context) => fresh(ctx, await raiseAlarm(ctx, args.input)),

  raiseAlarms: async (_: unknown, args: { inputs: RaiseAlarmInput[] }, ctx: Context) =>
    (await raiseAlarms(ctx, args.inputs)).map((r) => ({ alarm: r.alarm && fresh(ctx, r.alarm), error: r.error })),

  acknowledgeAlarm: async (_: unknown, args: { id: string; ackUserId?: string | null; ackSystemId?: string | null }, ctx: Context) =>
    fresh(ctx, await acknowledgeAlarm(ctx, args.id, args.ackUserId ?? null, args.ackSystemId ?? null)),

  unacknowledgeAlarm: async (_: unknown, args: { id: string }, ctx: Context) => fresh(ctx, await unacknowledgeAlarm(ctx, args.id)),

  clearAlarm: async (_: unknown, args: { id: string }, ctx: Context) => fresh(ctx, await clearAlarm(ctx, args.id)),

  commentAlarm: async (_: unknown, args: { id: string; comment: string; userId?: string | null; systemId?: string | null }, ctx: Context) =>
    fresh(ctx, await commentAlarm(ctx, args.id, args.comment, args.userId ?? null, args.systemId ?? null)),

  acknowledgeAlarms: (_: unknown, args: { pattern: AlarmPattern; ackUserId?: string | null; ackSystemId?: string | null }, ctx: Context) =>
    acknowledgeAlarms(ctx, args.pattern, args.ackUserId ?? null, args.ackSystemId ?? null),

  clearAlarms: (_: unknown, args: { pattern: AlarmPattern }, ctx: Context) => clearAlarms(ctx, args.pattern),

  commentAlarms: (_: unknown, args: { pattern: AlarmPattern; comment: string; userId?: string | null; systemId?: string | null }, ctx: Context) =>
    commentAlarms(ctx, args.pattern, args.comment, args.userId ?? null, args.systemId ?? null),
};
