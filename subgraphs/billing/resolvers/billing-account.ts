import { stub } from '../../../kit/entity-stub.js';
import type { PageArgs } from '../../../kit/pagination.js';
import type { BillingAccountDoc } from '../models.js';
import { childConnection, money, type BillingContext } from './context.js';

/** The customer subgraph owns `Customer`; this one only knows its id and contributes its account. */
interface CustomerRef {
  id: string;
}

/** Fields of `BillingAccount` and what billing contributes to `Customer`. */
export const billingAccountResolvers = {
  BillingAccount: {
    __resolveReference: (ref: { id: string }, ctx: BillingContext) => ctx.loaders.billingAccountById.load(ref.id),
    id: (account: BillingAccountDoc) => account._id,
    customer: (account: BillingAccountDoc) => stub('Customer', account.customerId),
    balance: (account: BillingAccountDoc) => money(account.balance, account.currency),
    charges: (account: BillingAccountDoc, args: PageArgs, ctx: BillingContext) => childConnection(ctx.loaders.chargePage, account._id, args, ctx),
    bills: (account: BillingAccountDoc, args: PageArgs, ctx: BillingContext) => childConnection(ctx.loaders.billPage, account._id, args, ctx),
    payments: (account: BillingAccountDoc, args: PageArgs, ctx: BillingContext) => childConnection(ctx.loaders.paymentPage, account._id, args, ctx),
  },
  Customer: {
    // No lookup: whether the customer exists is the customer subgraph's business.
    __resolveReference: (ref: CustomerRef): CustomerRef => ({ id: ref.id }),
    billingAccount: (customer: CustomerRef, _args: unknown, ctx: BillingContext) => ctx.loaders.billingAccountByCustomerId.load(customer.id),
  },
};
