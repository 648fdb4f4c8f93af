import { stubOrNull } from '../../../kit/entity-stub.js';
import type { BillDoc, BillLineDoc, TaxItemDoc } from '../models.js';
import { money, type BillingContext } from './context.js';

/** Bill lines and tax items are stored without a currency: they are in their bill's. */
type InBillCurrency<T> = T & { currency: string };
const withCurrency = <T extends object>(items: T[], currency: string): InBillCurrency<T>[] => items.map((item) => ({ ...item, currency }));

/** Fields of `CustomerBill` (TMF678) and its lines and taxes. */
export const billResolvers = {
  CustomerBill: {
    __resolveReference: (ref: { id: string }, ctx: BillingContext) => ctx.loaders.billById.load(ref.id),
    id: (bill: BillDoc) => bill._id,
    amountDue: (bill: BillDoc) => money(bill.amountDue, bill.currency),
    remainingAmount: (bill: BillDoc) => money(bill.remainingAmount, bill.currency),
    taxIncludedAmount: (bill: BillDoc) => money(bill.taxIncludedAmount, bill.currency),
    taxExcludedAmount: (bill: BillDoc) => money(bill.taxExcludedAmount, bill.currency),
    taxItems: (bill: BillDoc) => withCurrency(bill.taxItems, bill.currency),
    lines: (bill: BillDoc) => withCurrency(bill.lines, bill.currency),
    // Non-null in the SDL: a bill always belongs to a stored account (the seed writes both).
    billingAccount: (bill: BillDoc, _args: unknown, ctx: BillingContext) => ctx.loaders.billingAccountById.load(bill.billingAccountId),
  },
  TaxItem: {
    taxAmount: (tax: InBillCurrency<TaxItemDoc>) => money(tax.taxAmount, tax.currency),
  },
  AppliedCustomerBillingRate: {
    taxExcludedAmount: (line: InBillCurrency<BillLineDoc>) => money(line.taxExcludedAmount, line.currency),
    taxIncludedAmount: (line: InBillCurrency<BillLineDoc>) => money(line.taxIncludedAmount, line.currency),
    service: (line: InBillCurrency<BillLineDoc>) => stubOrNull('Service', line.serviceId),
  },
};
