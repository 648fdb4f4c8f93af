import { consumeOutbox } from '../../../kit/outbox/consumer.js';
import type { FeedWhere } from '../../../kit/outbox/types.js';
import type { BackgroundDeps, BackgroundWork } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { careForOutage, OUTAGE_CARE_CONSUMER, prepareOutageCare } from './outage-care.js';

/** The alarm events of the assurance outbox; SLA events there are not this reaction's business. */
const ALARM_EVENTS = ['AlarmCreateEvent', 'AlarmStateChangeEvent', 'AlarmAttributeValueChangeEvent', 'AlarmClearEvent'];
/**
 * What `careForOutage` can act on: a root cause (it notifies when active and service-affecting)
 * or a clear (of any alarm: a child may have notified while it was a root cause, before its
 * parent arrived). The children of an alarm storm, by the ten thousand, are neither.
 */
const MAY_MATTER: FeedWhere = [{ isRootCause: true }, { state: 'CLEARED' }];

/** Proactive care: consumes the assurance outbox (at least once; `careForOutage` makes it exactly once per customer). */
export async function startOutageCare(deps: BackgroundDeps<Models>): Promise<BackgroundWork> {
  await prepareOutageCare(deps);
  const consumer = await consumeOutbox({
    name: OUTAGE_CARE_CONSUMER,
    source: 'assurance',
    config: deps.config,
    conn: deps.conn,
    eventTypes: ALARM_EVENTS,
    where: MAY_MATTER,
    handle: async (event) => {
      await careForOutage(deps, event);
    },
    log: deps.log,
  });
  return { stop: () => consumer.stop() };
}

type Background = (deps: BackgroundDeps<Models>) => Promise<BackgroundWork>;

/** `background` plus proactive care, started after it and stopped with it. */
export function withOutageCare(background: Background): Background {
  return async (deps) => {
    const first = await background(deps);
    let care: BackgroundWork;
    try {
      care = await startOutageCare(deps);
    } catch (err) {
      await first.stop();
      throw err;
    }
    return { stop: async () => void (await Promise.all([care.stop(), first.stop()])) };
  };
}
