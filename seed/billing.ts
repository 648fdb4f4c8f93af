/**
 * Billing (TMF666/TMF678/TMF676). Charges exist only for ACTIVE customer-facing services and start
 * exactly at the service's activatedAt — billing starts on activation, never on the order — and
 * every such service has its recurring charge (no revenue leakage). Two monthly bill runs: August
 * (billed 1 Sep, mostly paid) and September (billed at EPOCH, open). Balance = what the customer
 * owes: the sum of the bills' remaining amounts.
 */
import { nextId, type Ctx } from './context.js';
import { billingAccountIdFor } from './orders.js';
import { addDays, daysBetween, EPOCH, round2 } from './rng.js';
import type { WorldBill, WorldBillingAccount, WorldCharge, WorldCustomer, WorldOffering, WorldService } from './world.js';

/** French standard VAT. */
const TAX_RATE = 0.2;
const PERIODS = [
  { start: new Date('2026-08-01T00:00:00.000Z'), end: new Date('2026-09-01T00:00:00.000Z'), label: '2026-08' },
  { start: new Date('2026-09-01T00:00:00.000Z'), end: EPOCH, label: '2026-09' },
];

type Line = Omit<WorldBill['lines'][number], 'id'>;

/** One billing account per customer, with charges, bills and payments. */
export function buildBilling(ctx: Ctx): void {
  const servicesByCustomer = new Map<string, WorldService[]>();
  for (const s of ctx.world.services) {
    if (s.category !== 'CUSTOMER_FACING' || s.state !== 'ACTIVE' || !s.customerId) continue;
    const list = servicesByCustomer.get(s.customerId) ?? [];
    list.push(s);
    servicesByCustomer.set(s.customerId, list);
  }
  for (const customer of ctx.world.customers) {
    const services = servicesByCustomer.get(customer.id) ?? [];
    const account = newAccount(ctx, customer);
    for (const service of services) account.charges.push(...chargesFor(ctx, service));
    PERIODS.forEach((period, k) => {
      const bill = billFor(ctx, services, period, k === PERIODS.length - 1);
      if (bill) account.bills.push(bill);
    });
    for (const bill of account.bills) settle(ctx, customer, account, bill);
    account.balance = round2(account.bills.reduce((sum, b) => sum + b.remainingAmount, 0));
    ctx.world.billingAccounts.push(account);
  }
}

function newAccount(ctx: Ctx, customer: WorldCustomer): WorldBillingAccount {
  const enterprise = customer.segment === 'ENTERPRISE';
  return {
    id: billingAccountIdFor(customer.id),
    customerId: customer.id,
    name: `${customer.name} – main account`,
    currency: 'EUR',
    balance: 0,
    state: customer.status === 'SUSPENDED' ? 'SUSPENDED' : customer.status === 'CLOSED' ? 'CLOSED' : 'ACTIVE',
    paymentMethod: enterprise
      ? ctx.rng.weighted({ BANK_ACCOUNT_TRANSFER: 70, BANK_ACCOUNT_DEBIT: 30 })
      : ctx.rng.weighted({ BANK_ACCOUNT_DEBIT: 60, BANK_CARD: 30, DIGITAL_WALLET: 10 }),
    charges: [],
    bills: [],
    payments: [],
  };
}

function price(offering: WorldOffering, type: 'RECURRING' | 'ONE_TIME' | 'USAGE') {
  return offering.prices.find((p) => p.priceType === type);
}

/** The recurring charge (always) and the activation fee (when the offering has one). */
function chargesFor(ctx: Ctx, service: WorldService): WorldCharge[] {
  const offering = ctx.offeringById.get(service.productOfferingId!)!;
  const start = service.activatedAt!;
  const charge = (chargeType: WorldCharge['chargeType'], name: string, amount: number, endDate: Date | null): WorldCharge => ({
    id: nextId(ctx, 'CHG-', 6), chargeType, description: `${offering.name} – ${name.toLowerCase()}`, amount, currency: 'EUR',
    startDate: start, endDate, productOfferingId: offering.id, serviceId: service.id, state: 'ACTIVE',
  });
  const mrc = price(offering, 'RECURRING')!;
  const charges = [charge('RECURRING', mrc.name, mrc.amount, null)];
  const nrc = price(offering, 'ONE_TIME');
  // A one-time charge is a point in time: it ends where it starts.
  if (nrc) charges.push(charge('ONE_TIME', nrc.name, nrc.amount, start));
  return charges;
}

function billFor(ctx: Ctx, services: WorldService[], period: (typeof PERIODS)[number], open: boolean): WorldBill | null {
  const lines: Line[] = [];
  const line = (description: string, excl: number, serviceId: string | null, type: Line['type'] = 'CHARGE') =>
    lines.push({ type, description, taxExcludedAmount: round2(excl), taxIncludedAmount: round2(excl * (1 + TAX_RATE)), serviceId });
  for (const service of services) {
    const activatedAt = service.activatedAt!;
    if (activatedAt >= period.end) continue;
    const offering = ctx.offeringById.get(service.productOfferingId!)!;
    // Month of activation is billed pro rata from activatedAt.
    const from = activatedAt > period.start ? activatedAt : period.start;
    const share = daysBetween(from, period.end) / daysBetween(period.start, period.end);
    line(`${offering.name} subscription ${period.label} (${service.id})`, price(offering, 'RECURRING')!.amount * share, service.id);
    const nrc = price(offering, 'ONE_TIME');
    if (nrc && activatedAt >= period.start) line(`${offering.name} activation fee (${service.id})`, nrc.amount, service.id);
    const usage = price(offering, 'USAGE');
    if (usage && ctx.rng.chance(0.4)) {
      const gb = round2(ctx.rng.float(0.5, 15));
      line(`Data beyond allowance ${gb} GB, ${usage.ratingGroup} (${service.id})`, gb * usage.amount, service.id);
    }
  }
  if (lines.length === 0) return null;
  if (ctx.rng.chance(0.03)) line('Goodwill credit after service interruption', -Math.min(10, lines[0].taxExcludedAmount), null, 'CREDIT');
  const excl = round2(lines.reduce((s, l) => s + l.taxExcludedAmount, 0));
  const incl = round2(lines.reduce((s, l) => s + l.taxIncludedAmount, 0));
  const id = nextId(ctx, 'BILL-', 6);
  const seq = id.slice('BILL-'.length);
  return {
    id, billNo: `INV-${period.label.replace('-', '')}-${seq}`, billDate: period.end, periodStart: period.start, periodEnd: period.end,
    paymentDueDate: addDays(period.end, 20), amountDue: incl, remainingAmount: incl, taxExcludedAmount: excl, taxIncludedAmount: incl, taxRate: TAX_RATE,
    state: open ? 'SENT' : 'VALIDATED', lines: lines.map((l, k) => ({ id: `${id}-L${k + 1}`, ...l })),
  };
}

/** Past bills get paid (mostly); suspended customers are the ones whose payments bounce. */
function settle(ctx: Ctx, customer: WorldCustomer, account: WorldBillingAccount, bill: WorldBill): void {
  if (bill.billDate >= EPOCH) return; // just issued: nothing paid yet
  const pay = (amount: number, status: 'SUCCEEDED' | 'FAILED', date: Date) =>
    account.payments.push({ id: nextId(ctx, 'PAY-', 6), paymentDate: date, amount: round2(amount), status, authorizationCode: status === 'SUCCEEDED' ? ctx.rng.code(6) : 'DECLINED', billId: bill.id });
  const due = bill.paymentDueDate;
  if (customer.status === 'SUSPENDED') {
    pay(bill.amountDue, 'FAILED', due);
    bill.state = 'SENT';
    return;
  }
  const outcome = ctx.rng.weighted({ PAID: 92, PARTIAL: 5, RETRIED: 3 });
  if (outcome === 'RETRIED') pay(bill.amountDue, 'FAILED', addDays(due, -1));
  const amount = outcome === 'PARTIAL' ? round2(bill.amountDue / 2) : bill.amountDue;
  pay(amount, 'SUCCEEDED', outcome === 'RETRIED' ? addDays(due, 3) : addDays(bill.billDate, ctx.rng.float(1, 20)));
  bill.remainingAmount = round2(bill.amountDue - amount);
  bill.state = bill.remainingAmount > 0 ? 'PARTIALLY_PAID' : 'SETTLED';
}
