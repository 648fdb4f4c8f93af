import { insertChunked, type BulkInsertOptions } from '../../kit/bulk-insert.js';
import type { World, WorldBill, WorldBillingAccount, WorldCharge, WorldOffering } from '../../seed/world.js';
import type { BillDoc, BillingAccountDoc, ChargeDoc, ChargingProfileDoc, Models, PaymentDoc } from './models.js';

type PaymentMethodType = WorldBillingAccount['paymentMethod'];
const PAYMENT_METHOD_NAMES: Record<PaymentMethodType, string> = {
  BANK_ACCOUNT_DEBIT: 'Direct debit',
  BANK_ACCOUNT_TRANSFER: 'Bank transfer',
  BANK_CARD: 'Card',
  DIGITAL_WALLET: 'Digital wallet',
};

const round2 = (n: number) => Math.round(n * 100) / 100;

// Documents are complete (every default spelled out): they are inserted without mongoose's help.
// Existing ids are skipped; a clash on another unique key (one account per customer, bill
// numbers) is a data error.
const INSERT: BulkInsertOptions = { validateFirstOfChunk: false, skip: 'duplicate-id' };

function paymentMethodOf(account: WorldBillingAccount) {
  return { id: `${account.id}-PM`, type: account.paymentMethod, name: PAYMENT_METHOD_NAMES[account.paymentMethod] };
}

function toAccountDoc(account: WorldBillingAccount, now: Date): BillingAccountDoc {
  const { id, customerId, name, state, currency, balance } = account;
  return { _id: id, customerId, name, state, currency, balance, paymentMethod: paymentMethodOf(account), createdAt: now, updatedAt: now };
}

/**
 * The catalog price a world charge applies: the offering's price of the same type and amount
 * (else of the same type). It keys the "one charge per service and price" guard.
 */
function priceIdResolver(offerings: WorldOffering[]) {
  const byOffering = new Map(offerings.map((o) => [o.id, o.prices]));
  return (charge: WorldCharge): string | null => {
    const prices = (byOffering.get(charge.productOfferingId) ?? []).filter((p) => p.priceType === charge.chargeType);
    return (prices.find((p) => p.amount === charge.amount) ?? prices[0])?.id ?? null;
  };
}

function toChargeDoc(charge: WorldCharge, account: WorldBillingAccount, priceId: string | null, now: Date): ChargeDoc {
  const { id, chargeType, description, amount, currency, startDate, endDate, productOfferingId, serviceId, state } = charge;
  return {
    _id: id, billingAccountId: account.id, chargeType, description, amount, currency, startDate, endDate, productOfferingId, priceId, serviceId, state,
    createdAt: now, updatedAt: now,
  };
}

function toBillDoc(bill: WorldBill, account: WorldBillingAccount, now: Date): BillDoc {
  const period = { startDateTime: bill.periodStart, endDateTime: bill.periodEnd };
  return {
    _id: bill.id, billingAccountId: account.id, billNo: bill.billNo, billDate: bill.billDate, billingPeriod: period,
    paymentDueDate: bill.paymentDueDate, runType: 'ON_CYCLE', currency: account.currency,
    amountDue: bill.amountDue, remainingAmount: bill.remainingAmount,
    taxIncludedAmount: bill.taxIncludedAmount, taxExcludedAmount: bill.taxExcludedAmount,
    taxItems: [{ taxCategory: 'VAT', taxRate: bill.taxRate, taxAmount: round2(bill.taxIncludedAmount - bill.taxExcludedAmount) }],
    state: bill.state,
    // The world gives lines no coverage: a service's line is taken to cover the billed period
    // (its recurring fee or usage in it); account-level lines (credits, penalties) are one-offs.
    lines: bill.lines.map(({ id, type, description, taxExcludedAmount, taxIncludedAmount, serviceId }) => ({
      id, type, description, taxExcludedAmount, taxIncludedAmount, serviceId, periodCoverage: serviceId ? period : null,
    })),
    createdAt: now,
    updatedAt: now,
  };
}

function toPaymentDocs(account: WorldBillingAccount, now: Date): PaymentDoc[] {
  return account.payments.map(({ id, paymentDate, amount, status, authorizationCode, billId }) => ({
    _id: id, billingAccountId: account.id, paymentDate, amount, currency: account.currency, status,
    paymentMethod: paymentMethodOf(account), authorizationCode, billId, createdAt: now, updatedAt: now,
  }));
}

/**
 * The charging profile of every service the world charges a recurring fee for (the world's
 * active services): as billing start would have written it at activation — rating groups of the
 * offering's usage prices, since the recurring charge started.
 */
function toChargingProfileDocs(accounts: WorldBillingAccount[], offerings: WorldOffering[], now: Date): ChargingProfileDoc[] {
  const ratingGroupsOf = new Map(offerings.map((o) => [o.id, [...new Set(o.prices.flatMap((p) => (p.priceType === 'USAGE' && p.ratingGroup ? [p.ratingGroup] : [])))]]));
  const profiles = new Map<string, ChargingProfileDoc>();
  for (const account of accounts) {
    for (const c of account.charges) {
      if (c.chargeType !== 'RECURRING' || !c.serviceId) continue;
      const known = profiles.get(c.serviceId);
      if (known && known.since <= c.startDate) continue;
      profiles.set(c.serviceId, {
        _id: c.serviceId, customerId: account.customerId, billingAccountId: account.id, productOfferingId: c.productOfferingId,
        ratingGroups: ratingGroupsOf.get(c.productOfferingId) ?? [], since: c.startDate, createdAt: now, updatedAt: now,
      });
    }
  }
  return [...profiles.values()];
}

/** Stores the world's billing accounts with their charges, bills and payments, and the charging profiles of charged services (existing ids are left as they are). */
export async function seed(models: Models, world: World, log?: (msg: string) => void): Promise<void> {
  const now = new Date();
  const priceIdOf = priceIdResolver(world.offerings);
  const accounts = world.billingAccounts;
  const charges = accounts.flatMap((a) => a.charges.map((c) => toChargeDoc(c, a, priceIdOf(c), now)));
  const bills = accounts.flatMap((a) => a.bills.map((b) => toBillDoc(b, a, now)));
  const payments = accounts.flatMap((a) => toPaymentDocs(a, now));
  const profiles = toChargingProfileDocs(accounts, world.offerings, now);
  await Promise.all([
    insertChunked(models.BillingAccount, accounts.map((a) => toAccountDoc(a, now)), INSERT),
    insertChunked(models.Charge, charges, INSERT),
    insertChunked(models.Bill, bills, INSERT),
    insertChunked(models.Payment, payments, INSERT),
    insertChunked(models.ChargingProfile, profiles, INSERT),
  ]);
  log?.(`billing: ${accounts.length} accounts, ${charges.length} charges, ${bills.length} bills, ${payments.length} payments, ${profiles.length} charging profiles`);
}
