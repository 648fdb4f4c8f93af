import type { ClientSession } from 'mongoose';
import { onceOnly } from '../../../kit/outbox/once.js';
import type { FeedWhere, OutboxEvent } from '../../../kit/outbox/types.js';
import type { BackgroundDeps } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { activatedServices, endedItems, NOTED_STATES, orderNoteText } from './wording.js';

/** Consumer name: keys the feed cursor and the dedupe records of this reaction. */
export const ORDER_NOTES_CONSUMER = 'customer.order-notes';

/**
 * What the reaction works with — what the module's `background` hook gets: the customer
 * subgraph's own models and connection (the dedupe record commits with the note).
 */
export type CustomerReactionDeps = BackgroundDeps<Models>;

/** What one delivery of an event did (tests and logs; the consumer only needs it not to throw). */
export type OrderNoteOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate' }
  | { kind: 'unknown-customer'; customerId: string }
  | { kind: 'noted'; interactionId: string };


/**
 * The order outbox events that can become a note, as the feed's `where`: the outbox also carries
 * every service order event and every intermediate state, which the feed then never sends.
 */
export const NOTED_ORDER_EVENTS: FeedWhere = Object.keys(NOTED_STATES).map((state) => ({ eventType: 'ProductOrderStateChangeEvent', state }));

/** Interaction id of an event's note: derived from the event, so even a replay without dedupe could not add a twin. */
export const interactionIdFor = (eventId: string) => `INT-ORD-${eventId}`;

function date(v: unknown): Date | null {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
  return d && !Number.isNaN(d.getTime()) ? d : null;
}

/**
 * CRM note (contract step 7): a product order reaching COMPLETED, FAILED, PARTIAL or CANCELLED
 * leaves one SYSTEM/OUTBOUND interaction on its customer ("Order PO-… completed; service svc-… is
 * active.", failures with their reasons: see wording.ts), dated when the order changed state, with
 * the order and the services it activated as related entities. Exactly once per event: the dedupe
 * record and the note commit in one transaction. Events for an unknown customer, and malformed
 * ones, are skipped with a log line — retrying would not change them, and a throw would stall
 * the consumer on them for ever.
 */
export async function noteOrderOutcome(deps: CustomerReactionDeps, event: OutboxEvent): Promise<OrderNoteOutcome> {
  if (event.eventType !== 'ProductOrderStateChangeEvent') return { kind: 'ignored', reason: `event type ${event.eventType}` };
  const state = typeof event.state === 'string' ? event.state : '';
  if (!NOTED_STATES[state]) return { kind: 'ignored', reason: `order state ${String(event.state)}` };
  const productOrderId = typeof event.productOrderId === 'string' ? event.productOrderId : null;
  const customerId = typeof event.customerId === 'string' ? event.customerId : null;
  const at = date(event.at);
  if (!productOrderId || !customerId || !at) {
    deps.log(`customer: order event ${event.eventId} lacks productOrderId, customerId or at; no CRM note`);
    return { kind: 'ignored', reason: 'malformed event' };
  }
  const items = endedItems(event.items);
  const activated = activatedServices(items).map((id) => ({ id, referredType: 'Service', role: 'activated' }));
  const note = {
    _id: interactionIdFor(event.eventId), customerId, channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'order progress',
    description: orderNoteText(productOrderId, state, items, typeof event.cancellationReason === 'string' ? event.cancellationReason : null), createdAt: at,
    relatedEntity: [{ id: productOrderId, referredType: 'ProductOrder', role: 'subject' }, ...activated],
  } as const;
  const result = await onceOnly(deps.conn, ORDER_NOTES_CONSUMER, event.eventId, (session) => record(deps.models, session, note));
  if (result === undefined) return { kind: 'duplicate' };
  if (result.kind === 'unknown-customer') deps.log(`customer: order ${productOrderId} names unknown customer ${customerId}; no CRM note (event ${event.eventId})`);
  return result;
}

type Note = { _id: string; customerId: string } & Record<string, unknown>;

async function record(models: Models, session: ClientSession, note: Note): Promise<OrderNoteOutcome> {
  // Read in the transaction: a customer is never deleted, but the note must not dangle if it were.
  if (!(await models.Customer.exists({ _id: note.customerId }).session(session))) return { kind: 'unknown-customer', customerId: note.customerId };
  await models.Interaction.create([note], { session });
  return { kind: 'noted', interactionId: note._id };
}
