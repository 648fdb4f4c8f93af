/**
 * CRM interactions: automatic order-progress notes for every product order, outage
 * notifications to the customers behind the scripted fibre cut, and some inbound contacts.
 */
import { nextId, type Ctx } from './context.js';
import { buildImpactIndex, customersBehind } from './impact.js';
import { addDays, EPOCH } from './rng.js';
import type { WorldAlarm, WorldInteraction, WorldProductOrder } from './world.js';

type Init = Omit<WorldInteraction, 'id'>;

function add(ctx: Ctx, init: Init): void {
  ctx.world.interactions.push({ id: nextId(ctx, 'INT-', 6), ...init });
}

/** Builds all interactions; `outage` is the root-cause alarm whose customers were notified. */
export function buildInteractions(ctx: Ctx, outage: WorldAlarm | null): void {
  for (const po of ctx.world.productOrders) orderProgress(ctx, po);
  if (outage) outageNotifications(ctx, outage);
  inboundContacts(ctx);
}

function orderProgress(ctx: Ctx, po: WorldProductOrder): void {
  const related = [{ id: po.id, referredType: 'ProductOrder', role: 'subject' }];
  const note = (createdAt: Date, description: string) =>
    add(ctx, { customerId: po.customerId, channel: 'SYSTEM', direction: 'OUTBOUND', reason: 'order progress', description, createdAt, relatedEntity: related });
  // The large world keeps only each order's latest news: 20,000 receipt notes would only slow seeding.
  if (ctx.scale === 'small' || po.state === 'IN_PROGRESS' || po.state === 'ACKNOWLEDGED') note(po.orderDate, `Order ${po.id} received and acknowledged.`);
  const services = po.items.map((i) => i.serviceId).filter((s): s is string => s !== null);
  switch (po.state) {
    case 'COMPLETED':
      return note(po.completionDate!, `Order ${po.id} completed; service ${services.join(', ')} is active.`);
    case 'PARTIAL':
      return note(po.completionDate!, `Order ${po.id} partially completed; some items failed and were rolled back.`);
    case 'FAILED':
      return note(po.completionDate!, `Order ${po.id} could not be completed; nothing will be charged.`);
    case 'REJECTED':
    case 'CANCELLED':
      return note(po.notes?.[0]?.date ?? po.orderDate, `Order ${po.id} ${po.state.toLowerCase()}: ${po.notes?.[0]?.text ?? ''}`.trim());
    case 'IN_PROGRESS':
      return note(addDays(po.orderDate, 0.01), `Order ${po.id} in progress: network activation scheduled.`);
    default:
      return undefined;
  }
}

function outageNotifications(ctx: Ctx, alarm: WorldAlarm): void {
  const customers = [...customersBehind(buildImpactIndex(ctx.world), alarm.resourceId)].sort();
  for (const customerId of customers) {
    add(ctx, {
      customerId, channel: 'SMS', direction: 'OUTBOUND', reason: 'outage notification',
      description: 'A network incident affects your fibre service in your area. Our teams are on it; we will inform you when it is fixed.',
      createdAt: addDays(alarm.raisedAt, 10 / 1440), relatedEntity: [{ id: alarm.id, referredType: 'Alarm', role: 'cause' }],
    });
  }
}

const REASONS = [
  { reason: 'billing enquiry', description: 'Asked about the amount of the last bill.' },
  { reason: 'technical support', description: 'Reported slow speeds in the evening; line tested OK.' },
  { reason: 'plan change enquiry', description: 'Asked about upgrading bandwidth.' },
  { reason: 'address change', description: 'Updated the postal address.' },
];

function inboundContacts(ctx: Ctx): void {
  for (const customer of ctx.world.customers) {
    if (!ctx.rng.chance(0.25)) continue;
    const span = (EPOCH.getTime() - customer.createdAt.getTime()) / 86_400_000;
    add(ctx, {
      customerId: customer.id, channel: ctx.rng.pick(['PHONE', 'EMAIL', 'WEB', 'STORE'] as const), direction: 'INBOUND',
      ...ctx.rng.pick(REASONS), createdAt: addDays(customer.createdAt, ctx.rng.float(1, span - 1)), relatedEntity: [],
    });
  }
}
