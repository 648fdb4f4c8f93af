import mongoose, { Schema, type InferRawDocTypeFromSchema } from 'mongoose';
import type { Plain } from '../../kit/lean.js';

// Enum spellings are the GraphQL ones (SCREAMING_SNAKE), so documents map to the API without translation.
const ACCOUNT_STATES = ['ACTIVE', 'SUSPENDED', 'CLOSED'] as const;
const PAYMENT_METHOD_TYPES = ['BANK_ACCOUNT_DEBIT', 'BANK_ACCOUNT_TRANSFER', 'BANK_CARD', 'DIGITAL_WALLET', 'VOUCHER', 'CASH'] as const;
/** Kinds of charge (TMF ProductOfferingPrice priceType, as far as billing applies them). */
export const CHARGE_TYPES = ['RECURRING', 'ONE_TIME', 'USAGE'] as const;
const CHARGE_STATES = ['ACTIVE', 'SUSPENDED', 'TERMINATED', 'BILLED'] as const;
const BILL_RUN_TYPES = ['ON_CYCLE', 'OFF_CYCLE'] as const;
const BILL_STATES = ['NEW', 'ON_HOLD', 'VALIDATED', 'SENT', 'PARTIALLY_PAID', 'SETTLED'] as const;
const BILLING_RATE_TYPES = ['CHARGE', 'CREDIT', 'PENALTY'] as const;
const PAYMENT_STATUSES = ['PENDING', 'AUTHORIZED', 'SUCCEEDED', 'FAILED', 'REFUNDED'] as const;

// Amounts are numbers in major units of the document's `currency` (one currency per account).

const paymentMethodSchema = new Schema(
  { id: { type: String, required: true }, type: { type: String, enum: PAYMENT_METHOD_TYPES, required: true }, name: { type: String, default: null } },
  { _id: false, id: false },
);

const timePeriodSchema = new Schema({ startDateTime: { type: Date, default: null }, endDateTime: { type: Date, default: null } }, { _id: false, id: false });

const billingAccountSchema = new Schema(
  {
    _id: { type: String, required: true }, // the TMF id: it is the federation key
    customerId: { type: String, required: true },
    name: { type: String, required: true },
    state: { type: String, enum: ACCOUNT_STATES, required: true },
    currency: { type: String, required: true },
    balance: { type: Number, required: true, default: 0 },
    paymentMethod: { type: paymentMethodSchema, default: null },
  },
  { collection: 'billingAccounts', timestamps: true, versionKey: false },
);
// `Customer.billingAccount` is singular: one account per customer, enforced so that two orders
// submitted at once cannot both open an account for the same customer.
billingAccountSchema.index({ customerId: 1 }, { unique: true });

const chargeSchema = new Schema(
  {
    _id: { type: String, required: true },
    billingAccountId: { type: String, required: true },
    chargeType: { type: String, enum: CHARGE_TYPES, required: true },
    description: { type: String, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    // For recurring charges the service's activation time: billing follows the network, not the order.
    startDate: { type: Date, required: true },
    endDate: { type: Date, default: null },
    productOfferingId: { type: String, default: null },
    // The catalog price (TMF ProductOfferingPrice) the charge applies; null for manual adjustments.
    priceId: { type: String, default: null },
    serviceId: { type: String, default: null },
    state: { type: String, enum: CHARGE_STATES, required: true },
  },
  { collection: 'charges', timestamps: true, versionKey: false },
);
// `BillingAccount.charges` pages newest first, ties broken by id.
chargeSchema.index({ billingAccountId: 1, startDate: -1, _id: -1 });
// `Service.charges` pages a service's charges newest first, ties broken by id; activation,
// suspension and termination of a service find its charges, and reconciliation joins, on its prefix.
chargeSchema.index({ serviceId: 1, startDate: -1, _id: -1 });
/** The service index before `Service.charges` needed its order; `prepareModels` drops it (the one above covers it). */
const OLD_SERVICE_INDEX = 'serviceId_1';
// A redelivered activation event must not charge a service twice for the same price. Usage
// charges repeat per rated usage and stay outside; charges without a price (manual) too.
chargeSchema.index(
  { serviceId: 1, priceId: 1 },
  { unique: true, partialFilterExpression: { chargeType: { $in: ['RECURRING', 'ONE_TIME'] }, serviceId: { $type: 'string' }, priceId: { $type: 'string' } } },
);

const taxItemSchema = new Schema(
  { taxCategory: { type: String, required: true }, taxRate: { type: Number, required: true }, taxAmount: { type: Number, required: true } },
  { _id: false, id: false },
);

const billLineSchema = new Schema(
  {
    id: { type: String, required: true },
    type: { type: String, enum: BILLING_RATE_TYPES, required: true },
    description: { type: String, required: true },
    taxExcludedAmount: { type: Number, required: true },
    taxIncludedAmount: { type: Number, required: true },
    periodCoverage: { type: timePeriodSchema, default: null },
    serviceId: { type: String, default: null },
  },
  { _id: false, id: false },
);

const billSchema = new Schema(
  {
    _id: { type: String, required: true },
    billingAccountId: { type: String, required: true },
    billNo: { type: String, required: true },
    billDate: { type: Date, required: true },
    billingPeriod: { type: timePeriodSchema, required: true },
    paymentDueDate: { type: Date, default: null },
    runType: { type: String, enum: BILL_RUN_TYPES, required: true },
    currency: { type: String, required: true },
    amountDue: { type: Number, required: true },
    remainingAmount: { type: Number, required: true },
    taxIncludedAmount: { type: Number, required: true },
    taxExcludedAmount: { type: Number, required: true },
    taxItems: { type: [taxItemSchema], default: [] },
    state: { type: String, enum: BILL_STATES, required: true },
    lines: { type: [billLineSchema], default: [] },
  },
  { collection: 'bills', timestamps: true, versionKey: false },
);
// `BillingAccount.bills` pages newest first, ties broken by id.
billSchema.index({ billingAccountId: 1, billDate: -1, _id: -1 });
// The number printed on a bill identifies it to the customer and the bank.
billSchema.index({ billNo: 1 }, { unique: true });

const paymentSchema = new Schema(
  {
    _id: { type: String, required: true },
    billingAccountId: { type: String, required: true },
    paymentDate: { type: Date, required: true },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    status: { type: String, enum: PAYMENT_STATUSES, required: true },
    // The method as it was when the payment was made; the account's method may change later.
    paymentMethod: { type: paymentMethodSchema, default: null },
    authorizationCode: { type: String, default: null },
    // The bill the payment settles (TMF paymentItem, one allocation); null when unallocated.
    billId: { type: String, default: null },
  },
  { collection: 'payments', timestamps: true, versionKey: false },
);
// `BillingAccount.payments` pages newest first, ties broken by id.
paymentSchema.index({ billingAccountId: 1, paymentDate: -1, _id: -1 });

/**
 * What charging (online/offline rating) needs to know about an active service: which account
 * pays and which rating groups its usage is rated against (the offering's USAGE prices). One per
 * service (`_id` = service id), written with the service's first charges when it becomes active.
 */
const chargingProfileSchema = new Schema(
  {
    _id: { type: String, required: true }, // the service id
    customerId: { type: String, required: true },
    billingAccountId: { type: String, required: true },
    productOfferingId: { type: String, required: true },
    ratingGroups: { type: [String], default: [] },
    // The service's activation time: usage before it is not the customer's to pay.
    since: { type: Date, required: true },
  },
  { collection: 'chargingProfiles', timestamps: true, versionKey: false },
);

/** Why an active service is on the leakage register (GraphQL `UnbilledReason`). */
export const UNBILLED_REASONS = ['NOT_CHARGED', 'UNKNOWN_OFFERING', 'MALFORMED_EVENT'] as const;

/**
 * The revenue-leakage register: services inventory reports ACTIVE that billing has not charged,
 * one entry per service. Billing start writes one when it cannot charge an activation, the
 * reconciliation when it finds an active service billing never heard of; charging the service
 * (or the reconciliation no longer finding it active and unbilled) removes it.
 */
const unbilledServiceSchema = new Schema(
  {
    _id: { type: String, required: true }, // the service id
    customerId: { type: String, default: null },
    productOfferingId: { type: String, default: null },
    activatedAt: { type: Date, default: null },
    reason: { type: String, enum: UNBILLED_REASONS, required: true },
    detail: { type: String, required: true },
    detectedAt: { type: Date, required: true },
  },
  { collection: 'unbilledServices', versionKey: false },
);

/** A stored billing account as `lean()` returns it. */
export type BillingAccountDoc = Plain<InferRawDocTypeFromSchema<typeof billingAccountSchema>> & { _id: string };
/** A stored charge. */
export type ChargeDoc = Plain<InferRawDocTypeFromSchema<typeof chargeSchema>> & { _id: string };
/** A stored customer bill. */
export type BillDoc = Plain<InferRawDocTypeFromSchema<typeof billSchema>> & { _id: string };
/** One stored bill line (TMF AppliedCustomerBillingRate). */
export type BillLineDoc = BillDoc['lines'][number];
/** One stored tax item of a bill. */
export type TaxItemDoc = BillDoc['taxItems'][number];
/** A stored payment. */
export type PaymentDoc = Plain<InferRawDocTypeFromSchema<typeof paymentSchema>> & { _id: string };
/** A stored charging profile of a service (`_id` is the service id). */
export type ChargingProfileDoc = Plain<InferRawDocTypeFromSchema<typeof chargingProfileSchema>> & { _id: string };
/** An entry of the revenue-leakage register. */
export type UnbilledServiceDoc = Plain<InferRawDocTypeFromSchema<typeof unbilledServiceSchema>> & { _id: string };

/** Binds the billing subgraph's models to its own connection (never the global mongoose). */
export function createModels(conn: mongoose.Connection) {
  return {
    BillingAccount: conn.model('BillingAccount', billingAccountSchema),
    Charge: conn.model('Charge', chargeSchema),
    Bill: conn.model('Bill', billSchema),
    Payment: conn.model('Payment', paymentSchema),
    ChargingProfile: conn.model('ChargingProfile', chargingProfileSchema),
    UnbilledService: conn.model('UnbilledService', unbilledServiceSchema),
  };
}

/**
 * Storage migrations, idempotent, run before serving: databases created before `Service.charges`
 * still hold the plain serviceId index, which the ordered one makes redundant (one more index to
 * update on every charge written).
 */
export async function prepareModels(models: Models): Promise<void> {
  const indexes = await models.Charge.collection.indexes();
  if (indexes.some((i) => i.name === OLD_SERVICE_INDEX)) await models.Charge.collection.dropIndex(OLD_SERVICE_INDEX);
}

/** The billing subgraph's models. */
export type Models = ReturnType<typeof createModels>;
