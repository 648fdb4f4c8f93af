import type { AnyBulkWriteOperation } from 'mongoose';
import type { BackgroundDeps } from '../../../kit/subgraph.js';
import type { Models, UnbilledServiceDoc } from '../models.js';
import { activeServicePages, type ActiveService } from './active-services.js';

/** What one reconciliation found (GraphQL `BillingReconciliation`). */
export interface ReconciliationResult {
  /** Active customer-facing services inventory reported. */
  checkedServices: number;
  /** Entries on the leakage register once it was done. */
  unbilledCount: number;
  ranAt: Date;
}

export type ReconciliationDeps = Pick<BackgroundDeps<Models>, 'models' | 'config'>;

/** The services of `page` billing has charged: a charging profile or a charge names them. */
async function billedAmong(models: Models, page: ActiveService[]): Promise<Set<string>> {
  const ids = page.map((s) => s.id);
  const [profiled, charged] = await Promise.all([
    models.ChargingProfile.find({ _id: { $in: ids } }, { _id: 1 }).lean<{ _id: string }[]>(),
    models.Charge.distinct('serviceId', { serviceId: { $in: ids } }),
  ]);
  return new Set([...profiled.map((p) => p._id), ...(charged as string[])]);
}

/** A register entry for an active service billing never charged (an entry already there keeps its reason). */
function notCharged(service: ActiveService, now: Date): AnyBulkWriteOperation<UnbilledServiceDoc> {
  const since = service.activatedAt ? `since ${service.activatedAt}` : 'with no activation time';
  return {
    updateOne: {
      filter: { _id: service.id },
      update: {
        $setOnInsert: {
          customerId: service.customer?.id ?? null, productOfferingId: service.productOffering?.id ?? null,
          activatedAt: service.activatedAt ? new Date(service.activatedAt) : null, reason: 'NOT_CHARGED',
          detail: `ACTIVE in inventory ${since}; billing holds no charge for it`, detectedAt: now,
        },
      },
      upsert: true,
    },
  };
}

/**
 * Revenue assurance: every service inventory reports ACTIVE must be charged. Pages through
 * inventory's active customer-facing services and puts each one billing holds no charge for on
 * the leakage register — unless it was activated within the grace period, when its charges may
 * still be on their way through the outbox. Once every page is read, entries for services that
 * are no longer active-and-unbilled go (charged since, or terminated); entries written while it
 * ran stay. Idempotent: instances running it at once write the same register. An unreachable
 * inventory throws before anything is removed.
 */
export async function reconcileBilling({ models, config }: ReconciliationDeps, now = new Date()): Promise<ReconciliationResult> {
  const graceStart = now.getTime() - config.billingReconciliation.graceMs;
  const unbilled = new Set<string>();
  let checkedServices = 0;
  for await (const page of activeServicePages(config)) {
    checkedServices += page.length;
    const billed = await billedAmong(models, page);
    const missing = page.filter((s) => !billed.has(s.id));
    for (const s of missing) unbilled.add(s.id);
    const due = missing.filter((s) => !s.activatedAt || new Date(s.activatedAt).getTime() <= graceStart);
    if (due.length) await models.UnbilledService.bulkWrite(due.map((s) => notCharged(s, now)), { ordered: false });
  }
  await models.UnbilledService.deleteMany({ _id: { $nin: [...unbilled] }, detectedAt: { $lt: now } });
  return { checkedServices, unbilledCount: await models.UnbilledService.countDocuments(), ranAt: now };
}
