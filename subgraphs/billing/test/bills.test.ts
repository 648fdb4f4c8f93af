import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { billingWorld } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, billingWorld);

const eur = (amount: number) => ({ amount, currency: 'EUR' });

describe('bill(id)', () => {
  it('should return the bill with amounts, taxes and its account', async () => {
    const res = await sut.query(`{ bill(id: "BILL-789-3") {
      id billNo billDate billingPeriod { startDateTime endDateTime } paymentDueDate runType state
      amountDue { amount currency } remainingAmount { amount currency } taxIncludedAmount { amount currency } taxExcludedAmount { amount currency }
      taxItems { taxCategory taxRate taxAmount { amount currency } } billingAccount { id customer { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.bill).toEqual({
      id: 'BILL-789-3', billNo: 'B-789-3', billDate: '2025-04-01T00:00:00.000Z',
      billingPeriod: { startDateTime: '2025-03-01T00:00:00.000Z', endDateTime: '2025-04-01T00:00:00.000Z' },
      paymentDueDate: '2025-04-15T00:00:00.000Z', runType: 'ON_CYCLE', state: 'SENT',
      amountDue: eur(59.98), remainingAmount: eur(59.98), taxIncludedAmount: eur(59.98), taxExcludedAmount: eur(49.98),
      taxItems: [{ taxCategory: 'VAT', taxRate: 0.2, taxAmount: eur(10) }],
      billingAccount: { id: 'BA-789', customer: { id: 'CUST-789' } },
    });
  });

  it('should return the lines in bill order, a service’s line covering the billed period', async () => {
    const res = await sut.query(`{ bill(id: "BILL-789-1") { lines {
      id type description taxExcludedAmount { amount currency } taxIncludedAmount { amount currency }
      periodCoverage { startDateTime endDateTime } service { id } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.bill).toEqual({ lines: [
      { id: '1', type: 'CHARGE', description: '5G Premium monthly fee', taxExcludedAmount: eur(49.99), taxIncludedAmount: eur(59.99),
        periodCoverage: { startDateTime: '2025-01-01T00:00:00.000Z', endDateTime: '2025-02-01T00:00:00.000Z' }, service: { id: 'svc-5g-001' } },
      { id: '2', type: 'CREDIT', description: 'Goodwill credit', taxExcludedAmount: eur(-0.01), taxIncludedAmount: eur(-0.01), periodCoverage: null, service: null },
    ] });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(`{ bill(id: "BILL-NOPE") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ bill: null });
  });
});

describe('BillingAccount.payments', () => {
  it('should return payments newest first with the method used and the authorization', async () => {
    const res = await sut.query(`{ billingAccount(id: "BA-789") { payments(first: 1) { edges { node {
      id paymentDate totalAmount { amount currency } status paymentMethod { id type name } authorizationCode } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.billingAccount).toEqual({ payments: { edges: [{ node: {
      id: 'PAY-789-2', paymentDate: '2025-03-14T00:00:00.000Z', totalAmount: eur(59.98), status: 'SUCCEEDED',
      paymentMethod: { id: 'BA-789-PM', type: 'BANK_CARD', name: 'Card' }, authorizationCode: 'AUTH-2',
    } }] } });
  });
});

describe('BillingAccount.bills', () => {
  it('should load the bills of the account and their account back without extra commands', async () => {
    const res = await sut.query(`{ billingAccount(id: "BA-789") { bills { totalCount edges { node { id state billingAccount { id } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.billingAccount).toEqual({ bills: { totalCount: 3, edges: [
      { node: { id: 'BILL-789-3', state: 'SENT', billingAccount: { id: 'BA-789' } } },
      { node: { id: 'BILL-789-2', state: 'SETTLED', billingAccount: { id: 'BA-789' } } },
      { node: { id: 'BILL-789-1', state: 'SETTLED', billingAccount: { id: 'BA-789' } } },
    ] } });
    // The account, then one aggregate for its bills; `billingAccount` comes from the loader cache.
    expect(res.extensions?.dbCommands).toBe(2);
  });
});
