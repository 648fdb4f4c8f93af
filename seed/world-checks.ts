/**
 * Checks any World (generated or hand-made) for dangling references and broken business rules.
 * Deliberately independent of the generator's own modules, so it can judge them; subgraph tests
 * can reuse it on fixtures. Each check returns human-readable problems (empty = sound).
 */
import type { World } from './world.js';

function indexById<T extends { id: string }>(items: T[], label: string, problems: string[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.id)) problems.push(`duplicate ${label} id ${item.id}`);
    map.set(item.id, item);
  }
  return map;
}

/** Every referenced id exists, ids are unique, and reliesOn/bundledIn form no cycle. */
export function integrityProblems(world: World): string[] {
  const p: string[] = [];
  const customers = indexById(world.customers, 'customer', p);
  const offerings = indexById(world.offerings, 'offering', p);
  const orders = indexById(world.productOrders, 'product order', p);
  const items = indexById(world.productOrders.flatMap((o) => o.items), 'order item', p);
  const services = indexById(world.services, 'service', p);
  const resources = indexById(world.resources, 'resource', p);
  const accounts = indexById(world.billingAccounts, 'billing account', p);
  const alarms = indexById(world.alarms, 'alarm', p);
  indexById(world.serviceOrders, 'service order', p);
  indexById(world.interactions, 'interaction', p);
  indexById(world.billingAccounts.flatMap((a) => a.charges), 'charge', p);
  indexById(world.billingAccounts.flatMap((a) => a.bills), 'bill', p);
  indexById(world.billingAccounts.flatMap((a) => a.payments), 'payment', p);
  const need = (map: Map<string, unknown>, id: string | null, what: string) => {
    if (id !== null && !map.has(id)) p.push(`${what} → missing ${id}`);
  };
  for (const o of world.productOrders) {
    need(customers, o.customerId, `order ${o.id} customer`);
    if (accounts.get(o.billingAccountId)?.customerId !== o.customerId) p.push(`order ${o.id} billing account ${o.billingAccountId} is not its customer's`);
    for (const i of o.items) {
      need(offerings, i.productOfferingId, `item ${i.id} offering`);
      need(services, i.serviceId, `item ${i.id} service`);
      if (i.serviceId && services.get(i.serviceId)?.customerId !== o.customerId) p.push(`item ${i.id} service belongs to another customer`);
    }
  }
  for (const so of world.serviceOrders) {
    need(orders, so.productOrderId, `service order ${so.id} product order`);
    for (const i of so.items) {
      need(items, i.productOrderItemId, `service order item ${i.id} product order item`);
      need(services, i.serviceId, `service order item ${i.id} service`);
    }
  }
  for (const s of world.services) {
    need(customers, s.customerId, `service ${s.id} customer`);
    need(offerings, s.productOfferingId, `service ${s.id} offering`);
    s.supportingResourceIds.forEach((r) => need(resources, r, `service ${s.id} resource`));
    s.supportingServiceIds.forEach((r) => need(services, r, `service ${s.id} supporting service`));
  }
  for (const r of world.resources) {
    r.reliesOn.forEach((up) => need(resources, up, `resource ${r.id} reliesOn`));
    need(resources, r.bundledIn, `resource ${r.id} bundledIn`);
  }
  for (const a of world.billingAccounts) {
    need(customers, a.customerId, `account ${a.id} customer`);
    a.charges.forEach((c) => need(services, c.serviceId, `charge ${c.id} service`));
    a.charges.forEach((c) => need(offerings, c.productOfferingId, `charge ${c.id} offering`));
    a.bills.flatMap((b) => b.lines).forEach((l) => need(services, l.serviceId, `bill line ${l.id} service`));
    const bills = new Set(a.bills.map((b) => b.id));
    for (const pay of a.payments) if (pay.billId && !bills.has(pay.billId)) p.push(`payment ${pay.id} → bill ${pay.billId} of another account`);
  }
  const activeFaults = new Set<string>();
  for (const al of world.alarms) {
    need(resources, al.resourceId, `alarm ${al.id} resource`);
    // Assurance stores one active alarm per fault (resource + probable cause + specific problem).
    const fault = `${al.resourceId}|${al.probableCause}|${al.specificProblem}`;
    if (al.state !== 'CLEARED' && activeFaults.has(fault)) p.push(`alarm ${al.id} duplicates an active alarm for ${fault}`);
    if (al.state !== 'CLEARED') activeFaults.add(fault);
    need(alarms, al.parentAlarmId, `alarm ${al.id} parent`);
  }
  world.interactions.forEach((i) => need(customers, i.customerId, `interaction ${i.id} customer`));
  world.measurements.forEach((m) => need(resources, m.resourceId, `measurement on ${m.resourceId}`));
  need(resources, world.landmarks.bigFibreLinkId, 'landmark bigFibreLinkId');
  need(customers, world.landmarks.exampleCustomerId, 'landmark exampleCustomerId');
  need(services, world.landmarks.exampleServiceId, 'landmark exampleServiceId');
  return [...p, ...cycleProblems(world)];
}

/** Iterative DFS over reliesOn + bundledIn (recursion would overflow on long chains). */
function cycleProblems(world: World): string[] {
  const edges = new Map(world.resources.map((r) => [r.id, [...r.reliesOn, ...(r.bundledIn ? [r.bundledIn] : [])]]));
  const state = new Map<string, 1 | 2>(); // 1 = on the current path, 2 = done
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: [string, number][] = [[start, 0]];
    state.set(start, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const next = (edges.get(top[0]) ?? [])[top[1]++];
      if (next === undefined) {
        state.set(top[0], 2);
        stack.pop();
      } else if (state.get(next) === 1) {
        return [`reliesOn/bundledIn cycle through ${next}`];
      } else if (!state.has(next)) {
        state.set(next, 1);
        stack.push([next, 0]);
      }
    }
  }
  return [];
}

/** Billing starts at activation and only for active services; failed orders leave nothing active. */
export function invariantProblems(world: World): string[] {
  const p: string[] = [];
  const services = new Map(world.services.map((s) => [s.id, s]));
  const recurring = new Set<string>();
  for (const a of world.billingAccounts) {
    for (const c of a.charges) {
      const s = services.get(c.serviceId);
      if (!s || s.state !== 'ACTIVE' || s.category !== 'CUSTOMER_FACING') p.push(`charge ${c.id} on non-active service ${c.serviceId}`);
      else if (s.customerId !== a.customerId) p.push(`charge ${c.id} on another customer's service`);
      else if (s.activatedAt?.getTime() !== c.startDate.getTime()) p.push(`charge ${c.id} starts ${c.startDate.toISOString()}, service activated ${s.activatedAt?.toISOString()}`);
      if (c.chargeType === 'RECURRING' && c.state === 'ACTIVE') recurring.add(c.serviceId);
    }
    const balance = Math.round(a.bills.reduce((sum, b) => sum + b.remainingAmount, 0) * 100) / 100;
    if (balance !== a.balance) p.push(`account ${a.id} balance ${a.balance} ≠ open bills ${balance}`);
    for (const b of a.bills) {
      const sum = Math.round(b.lines.reduce((s, l) => s + l.taxIncludedAmount, 0) * 100) / 100;
      if (sum !== b.taxIncludedAmount || b.amountDue !== b.taxIncludedAmount) p.push(`bill ${b.id} total ${b.taxIncludedAmount} ≠ lines ${sum}`);
    }
  }
  for (const s of world.services) {
    if ((s.state === 'ACTIVE') !== (s.activatedAt !== null)) p.push(`service ${s.id} is ${s.state} with activatedAt ${s.activatedAt}`);
    if (s.state === 'ACTIVE' && s.category === 'CUSTOMER_FACING' && !recurring.has(s.id)) p.push(`revenue leakage: ${s.id} active without a recurring charge`);
  }
  for (const o of world.productOrders) {
    const states = o.items.map((i) => (i.serviceId ? services.get(i.serviceId)?.state : undefined));
    if ((o.state === 'FAILED' || o.state === 'REJECTED') && states.includes('ACTIVE')) p.push(`${o.state} order ${o.id} has an active service`);
    if (o.state === 'COMPLETED') {
      o.items.forEach((i) => {
        const s = i.serviceId ? services.get(i.serviceId) : undefined;
        if (s?.state !== 'ACTIVE' || s.activatedAt?.getTime() !== o.completionDate?.getTime()) p.push(`completed order ${o.id} item ${i.id} not activated at completion`);
      });
    }
  }
  return p;
}
