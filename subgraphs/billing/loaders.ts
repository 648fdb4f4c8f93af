import DataLoader from 'dataloader';
import type { AppConfig } from '../../kit/config.js';
import { byIdLoader, ONE_ROUND_TRIP } from '../../kit/loaders.js';
import type { BillDoc, BillingAccountDoc, ChargeDoc, ChargingProfileDoc, Models, PaymentDoc } from './models.js';
import { childPageLoader } from './paged-loader.js';

/**
 * Per-request DataLoaders of the billing subgraph: every entity, relation and child page is
 * loaded in one command per batch, whatever the number of parents.
 */
export function createLoaders(models: Models, _config?: AppConfig) {
  const { BillingAccount, Charge, Bill, Payment, ChargingProfile } = models;
  const billingAccountById = byIdLoader((ids) => BillingAccount.find({ _id: { $in: ids } }).batchSize(ONE_ROUND_TRIP).lean<BillingAccountDoc[]>());

  const billingAccountByCustomerId = new DataLoader<string, BillingAccountDoc | null>(async (customerIds) => {
    const docs = await BillingAccount.find({ customerId: { $in: [...customerIds] } }).batchSize(ONE_ROUND_TRIP).lean<BillingAccountDoc[]>();
    // The account is then known by id too (e.g. a bill's `billingAccount` on the same account).
    for (const doc of docs) billingAccountById.prime(doc._id, doc);
    const byCustomer = new Map(docs.map((d) => [d.customerId, d]));
    return customerIds.map((id) => byCustomer.get(id) ?? null);
  });

  const billById = byIdLoader((ids) => Bill.find({ _id: { $in: ids } }).batchSize(ONE_ROUND_TRIP).lean<BillDoc[]>());
  // A profile's `_id` is its service's id.
  const chargingProfileByServiceId = byIdLoader((ids) => ChargingProfile.find({ _id: { $in: ids } }).batchSize(ONE_ROUND_TRIP).lean<ChargingProfileDoc[]>());

  return {
    billingAccountById,
    billingAccountByCustomerId,
    billById,
    chargingProfileByServiceId,
    // Every list of an account is newest first, ties broken by id (descending), as its index.
    chargePage: childPageLoader<ChargeDoc>(Charge, 'billingAccountId', { startDate: -1, _id: -1 }),
    serviceChargePage: childPageLoader<ChargeDoc>(Charge, 'serviceId', { startDate: -1, _id: -1 }),
    billPage: childPageLoader<BillDoc>(Bill, 'billingAccountId', { billDate: -1, _id: -1 }),
    paymentPage: childPageLoader<PaymentDoc>(Payment, 'billingAccountId', { paymentDate: -1, _id: -1 }),
  };
}

/** The billing subgraph's per-request loaders. */
export type Loaders = ReturnType<typeof createLoaders>;
