/**
 * Product orders (TMF622): what each customer bought and how far each order got. Fulfilment
 * (services, service orders, resources) happens in services.ts as each order is created, so
 * resources are allocated in order-date-independent but deterministic order.
 */
import { OFFERING } from './catalog.js';
import { nextId, type Ctx } from './context.js';
import { EXAMPLE_CUSTOMER_ID } from './customers.js';
import { addDays, EPOCH, type Rng } from './rng.js';
import { fulfil } from './services.js';
import type { Characteristic, OrderState, WorldCustomer, WorldOffering, WorldOrderItem, WorldProductOrder } from './world.js';

/** Every customer has exactly one billing account, numbered like the customer (CUST-789 → BA-789). */
export const billingAccountIdFor = (customerId: string) => customerId.replace(/^CUST-/, 'BA-');

/** Days from order to completion, by offering: radio activation is minutes, fibre needs a visit. */
const LEAD_DAYS: Record<string, [number, number]> = {
  [OFFERING.premium5g]: [0.01, 0.5],
  [OFFERING.basic5g]: [0.01, 0.5],
  [OFFERING.fibre]: [3, 14],
  [OFFERING.vpn]: [10, 35],
  [OFFERING.legacyLte]: [0.01, 0.1],
};

const FULFILLED: ReadonlySet<OrderState> = new Set(['COMPLETED', 'PARTIAL', 'FAILED', 'IN_PROGRESS']);
const TERMINAL_WITH_DATE: ReadonlySet<OrderState> = new Set(['COMPLETED', 'PARTIAL', 'FAILED']);

/** Creates every customer's orders, CUST-789 first so its ids are the first of each sequence. */
export function buildOrders(ctx: Ctx): void {
  const example = ctx.world.customers.find((c) => c.id === EXAMPLE_CUSTOMER_ID)!;
  exampleOrder(ctx, example);
  // The first two-item order is scripted PARTIAL so the roll-up case exists at every scale.
  let partialScripted = false;
  for (const customer of ctx.world.customers) {
    if (customer.id === EXAMPLE_CUSTOMER_ID || customer.status === 'PROSPECT') continue;
    if (customer.status === 'CLOSED') {
      createOrder(ctx, customer, [planOffering(ctx.rng, customer)], 'CANCELLED', addDays(customer.createdAt, ctx.rng.float(0, 2)));
      continue;
    }
    planOrders(ctx, customer).forEach((offerings, k) => {
      let state = customer.status === 'SUSPENDED' ? 'COMPLETED' : drawState(ctx.rng, offerings.length);
      if (offerings.length > 1 && !partialScripted && customer.status === 'ACTIVE') [state, partialScripted] = ['PARTIAL', true];
      createOrder(ctx, customer, offerings, state, orderDate(ctx.rng, customer, state, k));
    });
    // A few customers still try to buy the retired plan; validation rejects it.
    if (ctx.rng.chance(0.03)) createOrder(ctx, customer, [OFFERING.legacyLte], 'REJECTED', orderDate(ctx.rng, customer, 'REJECTED', 1));
  }
}

/** Offerings per order: consumers buy one product per order, enterprises sometimes bundle two. */
function planOrders(ctx: Ctx, customer: WorldCustomer): string[][] {
  const rng = ctx.rng;
  if (customer.segment === 'ENTERPRISE') {
    const wantsVpn = rng.chance(0.75);
    const wants5g = !wantsVpn || rng.chance(0.55);
    if (wantsVpn && wants5g) return rng.chance(0.4) ? [[OFFERING.vpn, OFFERING.premium5g]] : [[OFFERING.vpn], [OFFERING.premium5g]];
    return [[wantsVpn ? OFFERING.vpn : OFFERING.premium5g]];
  }
  const first = planOffering(rng, customer);
  if (!rng.chance(0.25)) return [[first]];
  const second = first === OFFERING.fibre ? (rng.chance(0.5) ? OFFERING.premium5g : OFFERING.basic5g) : OFFERING.fibre;
  return [[first], [second]];
}

function planOffering(rng: Rng, customer: WorldCustomer): string {
  if (customer.segment === 'ENTERPRISE') return rng.chance(0.7) ? OFFERING.vpn : OFFERING.premium5g;
  return rng.weighted({ [OFFERING.fibre]: 45, [OFFERING.basic5g]: 30, [OFFERING.premium5g]: 25 });
}

function drawState(rng: Rng, items: number): OrderState {
  if (items > 1) return rng.weighted<OrderState>({ COMPLETED: 80, PARTIAL: 10, IN_PROGRESS: 4, FAILED: 3, REJECTED: 3 });
  return rng.weighted<OrderState>({ COMPLETED: 86, IN_PROGRESS: 4, ACKNOWLEDGED: 1, FAILED: 4, REJECTED: 3, CANCELLED: 2 });
}

/** Open orders are recent; the first order is placed at sign-up, later ones any time since. */
function orderDate(rng: Rng, customer: WorldCustomer, state: OrderState, index: number): Date {
  if (state === 'IN_PROGRESS' || state === 'ACKNOWLEDGED') return addDays(EPOCH, -rng.float(0.05, 3));
  if (index === 0) return addDays(customer.createdAt, rng.float(0, 2));
  const span = (EPOCH.getTime() - customer.createdAt.getTime()) / 86_400_000 - 2;
  return addDays(customer.createdAt, 2 + rng.float(0, span));
}

/** CUST-789's COMPLETED 5G_PREMIUM order at 1 Gbps, realised by svc-5g-001. */
function exampleOrder(ctx: Ctx, customer: WorldCustomer): void {
  createOrder(ctx, customer, [OFFERING.premium5g], 'COMPLETED', new Date('2026-06-15T09:12:00.000Z'), {
    characteristics: [{ name: 'bandwidth', value: '1Gbps' }],
    completionDate: new Date('2026-06-15T09:47:30.000Z'),
    externalId: 'order-seed-789',
  });
}

/** Fixed attributes for scripted orders (the example), instead of drawn ones. */
interface FixedOrder {
  characteristics: Characteristic[];
  completionDate: Date;
  externalId: string;
}

function createOrder(ctx: Ctx, customer: WorldCustomer, offeringIds: string[], state: OrderState, requested: Date, fixed?: FixedOrder): WorldProductOrder {
  const rng = ctx.rng;
  const id = nextId(ctx, 'PO-', 6);
  const lead = Math.max(...offeringIds.map((o) => rng.float(...LEAD_DAYS[o])));
  // Terminal orders must have finished before "now": pull the order date back if needed.
  const latestStart = addDays(EPOCH, -lead - 0.01);
  const orderDate = TERMINAL_WITH_DATE.has(state) && requested > latestStart ? latestStart : requested;
  const items: WorldOrderItem[] = offeringIds.map((offeringId, k) => ({
    id: `${id}-${k + 1}`,
    action: 'ADD',
    productOfferingId: offeringId,
    characteristics: fixed?.characteristics ?? chooseCharacteristics(rng, ctx.offeringById.get(offeringId)!),
    // A PARTIAL order is the two-item case where the first item made it and the second did not.
    state: state === 'PARTIAL' ? (k === 0 ? 'COMPLETED' : 'FAILED') : state,
    serviceId: null,
  }));
  const po: WorldProductOrder = {
    id,
    externalId: fixed?.externalId ?? `${rng.pick(['web', 'app', 'crm', 'shop'])}-${id.slice(3)}-${rng.code(6)}`,
    customerId: customer.id,
    billingAccountId: billingAccountIdFor(customer.id),
    state,
    priority: customer.segment === 'ENTERPRISE' ? (customer.slaTier === 'PLATINUM' ? 0 : 1) : rng.int(2, 4),
    orderDate,
    completionDate: fixed?.completionDate ?? (TERMINAL_WITH_DATE.has(state) ? addDays(orderDate, lead) : null),
    items,
    notes: rejectionNotes(ctx, customer, state, offeringIds, orderDate),
  };
  ctx.world.productOrders.push(po);
  if (FULFILLED.has(state)) fulfil(ctx, po);
  return po;
}

/** Mandatory characteristics always, optional ones half of the time. */
function chooseCharacteristics(rng: Rng, offering: WorldOffering): Characteristic[] {
  return offering.specification.characteristics
    .filter((c) => c.mandatory || rng.chance(0.5))
    .map((c) => ({ name: c.name, value: rng.pick(c.allowedValues) }));
}

function rejectionNotes(ctx: Ctx, customer: WorldCustomer, state: OrderState, offeringIds: string[], at: Date): WorldProductOrder['notes'] {
  const note = (text: string) => [{ author: 'order-validation', date: addDays(at, 0.001), text }];
  if (state === 'CANCELLED') return [{ author: 'csr', date: addDays(at, 0.5), text: 'Cancelled at the customer’s request before fulfilment.' }];
  if (state !== 'REJECTED') return [];
  const retired = offeringIds.find((o) => !ctx.offeringById.get(o)!.isSellable);
  if (retired) return note(`Rejected: product offering ${retired} is retired and no longer sellable.`);
  return note(ctx.rng.chance(0.5) ? `Rejected: credit check failed (score ${customer.creditScore}).` : 'Rejected: no coverage at the installation address.');
}
