import { partialWorld } from '../../../kit/testing.js';
import type { World, WorldBill, WorldBillingAccount, WorldCharge, WorldOffering } from '../../../seed/world.js';

/**
 * A small hand-written world holding only what the billing subgraph stores (accounts with their
 * charges, bills and payments, plus the offering whose prices charges apply). `seed/generate.ts`
 * was not available when these tests were written; switch to `generateWorld('small')` once it is.
 */

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
/** When svc-5g-001 became active: its charges start then. */
export const ACTIVATED_AT = new Date('2025-01-01T02:00:00.000Z');

const offering5g: WorldOffering = {
  id: '5G_PREMIUM', name: '5G Premium', description: '5G with a dedicated slice', isSellable: true, lifecycleStatus: 'LAUNCHED', category: 'MOBILE',
  specification: { id: 'PS_5G', name: '5G product', characteristics: [], serviceSpecifications: [], resourceSpecifications: [] },
  prices: [
    { id: 'PRICE-5G-MONTHLY', name: 'Monthly fee', priceType: 'RECURRING', recurringChargePeriod: 'MONTH', amount: 49.99, currency: 'EUR' },
    { id: 'PRICE-5G-ACTIVATION', name: 'Activation', priceType: 'ONE_TIME', amount: 19.99, currency: 'EUR' },
    { id: 'PRICE-5G-DATA', name: 'Data', priceType: 'USAGE', amount: 0.5, currency: 'EUR', unitOfMeasure: 'GB', ratingGroup: 'DATA_5G_PREMIUM' },
  ],
};

const charge5g = (id: string, chargeType: WorldCharge['chargeType'], amount: number, startDate: Date, description: string): WorldCharge => ({
  id, chargeType, description, amount, currency: 'EUR', startDate, endDate: null, productOfferingId: '5G_PREMIUM', serviceId: 'svc-5g-001', state: 'ACTIVE',
});

function monthlyBill(n: number, month: string, next: string, state: WorldBill['state'], remaining: number): WorldBill {
  return {
    id: `BILL-789-${n}`, billNo: `B-789-${n}`, billDate: day(next), periodStart: day(month), periodEnd: day(next), paymentDueDate: day(next.replace(/-01$/, '-15')),
    amountDue: 59.98, remainingAmount: remaining, taxExcludedAmount: 49.98, taxIncludedAmount: 59.98, taxRate: 0.2, state,
    lines: [
      { id: '1', type: 'CHARGE', description: '5G Premium monthly fee', taxExcludedAmount: 49.99, taxIncludedAmount: 59.99, serviceId: 'svc-5g-001' },
      { id: '2', type: 'CREDIT', description: 'Goodwill credit', taxExcludedAmount: -0.01, taxIncludedAmount: -0.01, serviceId: null },
    ],
  };
}

/** CUST-789's account: the seed example's charges (starting at activation), three bills, two payments. */
const exampleAccount: WorldBillingAccount = {
  id: 'BA-789', customerId: 'CUST-789', name: 'CUST-789 main account', currency: 'EUR', balance: 59.98, state: 'ACTIVE', paymentMethod: 'BANK_CARD',
  charges: [
    charge5g('CH-789-1', 'RECURRING', 49.99, ACTIVATED_AT, '5G Premium monthly fee'),
    // Same start as the recurring fee: the id breaks the tie.
    charge5g('CH-789-2', 'ONE_TIME', 19.99, ACTIVATED_AT, '5G Premium activation'),
    charge5g('CH-789-3', 'USAGE', 3.5, new Date('2025-02-10T08:00:00.000Z'), 'Data 7 GB'),
  ],
  bills: [
    monthlyBill(1, '2025-01-01', '2025-02-01', 'SETTLED', 0),
    monthlyBill(2, '2025-02-01', '2025-03-01', 'SETTLED', 0),
    monthlyBill(3, '2025-03-01', '2025-04-01', 'SENT', 59.98),
  ],
  payments: [
    { id: 'PAY-789-1', paymentDate: day('2025-02-14'), amount: 59.98, status: 'SUCCEEDED', authorizationCode: 'AUTH-1', billId: 'BILL-789-1' },
    { id: 'PAY-789-2', paymentDate: day('2025-03-14'), amount: 59.98, status: 'SUCCEEDED', authorizationCode: 'AUTH-2', billId: 'BILL-789-2' },
  ],
};

/** Number of generated accounts (BA-1001 … BA-1120 of CUST-1001 … CUST-1120). */
export const GENERATED_ACCOUNTS = 120;
export const generatedCustomerId = (i: number) => `CUST-${1000 + i}`;
/** Generated account `i` has `i % 4` charges (so some have none). */
export const chargesOfGeneratedAccount = (i: number) => i % 4;

function generatedAccount(i: number): WorldBillingAccount {
  const id = `BA-${1000 + i}`;
  return {
    id, customerId: generatedCustomerId(i), name: `Account ${i}`, currency: 'EUR', balance: i, state: i % 10 === 0 ? 'SUSPENDED' : 'ACTIVE', paymentMethod: 'BANK_ACCOUNT_DEBIT',
    charges: Array.from({ length: chargesOfGeneratedAccount(i) }, (_, k) => ({
      ...charge5g(`CH-${1000 + i}-${k + 1}`, 'RECURRING', 49.99, new Date(Date.UTC(2025, k, 1)), '5G Premium monthly fee'), serviceId: `svc-${1000 + i}-${k + 1}`,
    })),
    bills: [{ ...monthlyBill(1, '2025-01-01', '2025-02-01', 'NEW', 59.98), id: `BILL-${1000 + i}-1`, billNo: `B-${1000 + i}-1`, lines: [] }],
    payments: i % 2 ? [{ id: `PAY-${1000 + i}-1`, paymentDate: day('2025-02-10'), amount: 10, status: 'PENDING', authorizationCode: `AUTH-${i}`, billId: null }] : [],
  };
}

/** The fixture world of the billing subgraph's tests. */
export function billingWorld(): World {
  return partialWorld({
    offerings: [offering5g],
    billingAccounts: [exampleAccount, ...Array.from({ length: GENERATED_ACCOUNTS }, (_, i) => generatedAccount(i + 1))],
  }, 'FIBRE-001');
}
