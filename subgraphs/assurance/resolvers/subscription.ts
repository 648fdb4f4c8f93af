import type { GraphQLResolveInfo } from 'graphql';
import { badUserInput } from '../../../kit/errors.js';
import type { PerceivedSeverity } from '../domain.js';
import type { AlarmDoc } from '../models.js';
import { alarmFromEvent, alarmFromEventSuffices, subscriptionNeedsNoAlarmReads } from '../live/alarm-selection.js';
import type { Delivery } from '../live/coalesce.js';
import { decodeCursor, encodeCursor } from '../live/cursor.js';
import type { AlarmEvent, SlaViolationEvent } from '../live/events.js';
import { LiveFeed } from '../live/feed.js';
import { alarmStream, slaViolationStream } from '../live/streams.js';
import { createLoaders } from '../loaders.js';
import type { Context } from './context.js';
import { toAlarm } from './shapes.js';
import { toSlaViolation } from './sla.js';

/** An outbox event's kind, in the API's spelling. */
const ALARM_CHANGE_KINDS: Record<AlarmEvent['eventType'], string> = {
  AlarmCreateEvent: 'CREATE',
  AlarmStateChangeEvent: 'STATE_CHANGE',
  AlarmAttributeValueChangeEvent: 'ATTRIBUTE_VALUE_CHANGE',
  AlarmClearEvent: 'CLEAR',
};

interface AlarmChangedArgs {
  minSeverity?: PerceivedSeverity | null;
  resourceId?: string | null;
  after?: string | null;
}

/**
 * A subscription keeps one context for its whole life; fresh loaders per event make the alarm
 * (or violation) show as it is now, not as the first event cached it. Created on first use:
 * most deliveries of a storm resolve from the event and preloaded alarms, and building the
 * subgraph's whole set of loaders for each of them would cost more than the delivery itself.
 */
function fresh<T>(delivery: T, _args: unknown, ctx: Context): T {
  let loaders: Context['loaders'] | undefined;
  Object.defineProperty(ctx, 'loaders', {
    configurable: true,
    enumerable: true,
    get: () => (loaders ??= createLoaders(ctx.models)),
    set: (value: Context['loaders']) => (loaders = value),
  });
  return delivery;
}

/**
 * A `resourceId` inventory does not know is a typo that would watch nothing for ever:
 * BAD_USER_INPUT. Unless inventory cannot be asked — alarms matter most during outages, so the
 * subscription then goes ahead unchecked.
 */
async function checkResource(ctx: Context, resourceId: string): Promise<void> {
  let unknown: string[];
  try {
    unknown = await ctx.topology.ensure([resourceId]);
  } catch {
    return;
  }
  if (unknown.length) throw badUserInput('resourceId', `no resource '${resourceId}' in the inventory`);
}

/** The assurance subgraph's live streams: alarm changes and SLA violation changes, resumable by cursor. */
export const subscriptionResolvers = {
  Subscription: {
    alarmChanged: {
      // Everything that can refuse the subscription happens before the stream is returned, so a
      // refusal reaches the client as a graphql-ws `error` message (see kit/ws.ts).
      subscribe: async (_root: unknown, args: AlarmChangedArgs, ctx: Context, info: GraphQLResolveInfo) => {
        const after = args.after ? decodeCursor('AlarmChange', args.after) : undefined;
        if (args.resourceId) await checkResource(ctx, args.resourceId);
        const readAlarms = !subscriptionNeedsNoAlarmReads(info);
        return LiveFeed.open(ctx.models, alarmStream({ minSeverity: args.minSeverity, resourceId: args.resourceId, after, readAlarms }, ctx.config.alarmCoalesceMs));
      },
      resolve: fresh<Delivery<AlarmEvent>>,
    },
    slaViolationChanged: {
      subscribe: (_root: unknown, args: { customerId?: string | null; after?: string | null }, ctx: Context) => {
        const after = args.after ? decodeCursor('SlaViolationChange', args.after) : undefined;
        return LiveFeed.open(ctx.models, slaViolationStream({ customerId: args.customerId, after }));
      },
      resolve: fresh<Delivery<SlaViolationEvent>>,
    },
  },
  AlarmChange: {
    cursor: (d: Delivery<AlarmEvent>) => encodeCursor('AlarmChange', d.event.seq),
    eventType: (d: Delivery<AlarmEvent>) => ALARM_CHANGE_KINDS[d.event.eventType],
    state: (d: Delivery<AlarmEvent>) => d.event.state,
    previousState: (d: Delivery<AlarmEvent>) => d.previousState,
    perceivedSeverity: (d: Delivery<AlarmEvent>) => d.event.perceivedSeverity,
    at: (d: Delivery<AlarmEvent>) => d.event.eventTime,
    coalesced: (d: Delivery<AlarmEvent>) => d.coalesced,
    alarm: async (d: Delivery<AlarmEvent>, _args: unknown, ctx: Context, info: GraphQLResolveInfo) => {
      // Only fields fixed at creation asked for: the event has them (no read at all).
      const fromEvent = d.preloaded === undefined && alarmFromEventSuffices(info) ? alarmFromEvent(d.event) : null;
      if (fromEvent) return fromEvent;
      // Read ahead with the deliveries queued behind it (LiveFeed preload); loaded on its own otherwise.
      const doc = (d.preloaded as AlarmDoc | null | undefined) || (await ctx.loaders.alarmById.load(d.event.alarmId));
      if (!doc) throw new Error(`alarm '${d.event.alarmId}' of outbox event ${d.event.eventId} is not stored`);
      return toAlarm(doc);
    },
  },
  SlaViolationChange: {
    cursor: (d: Delivery<SlaViolationEvent>) => encodeCursor('SlaViolationChange', d.event.seq),
    state: (d: Delivery<SlaViolationEvent>) => d.event.state,
    previousState: (d: Delivery<SlaViolationEvent>) => d.previousState,
    at: (d: Delivery<SlaViolationEvent>) => d.event.eventTime,
    violation: async (d: Delivery<SlaViolationEvent>, _args: unknown, ctx: Context) => {
      const doc = await ctx.loaders.slaViolationById.load(d.event.violationId);
      if (!doc) throw new Error(`SLA violation '${d.event.violationId}' of outbox event ${d.event.eventId} is not stored`);
      return toSlaViolation(doc);
    },
  },
};
