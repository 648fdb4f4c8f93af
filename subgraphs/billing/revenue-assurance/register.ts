import type { ClientSession } from 'mongoose';
import type { Models, UnbilledServiceDoc } from '../models.js';

/** Why a service is on the revenue-leakage register, and what is known of it. */
export type UnbilledEntry = Omit<UnbilledServiceDoc, '_id' | 'detectedAt'> & { serviceId: string };

/**
 * Billing start could not charge this activation (an offering catalog does not know, a malformed
 * event): the service goes on the register with that reason, replacing a vaguer one the
 * reconciliation may have written. Kept until the service is charged.
 */
export async function recordUncharged(models: Models, entry: UnbilledEntry, now = new Date()): Promise<void> {
  const { serviceId, reason, detail, ...known } = entry;
  await models.UnbilledService.updateOne(
    { _id: serviceId },
    { $set: { reason, detail, ...known }, $setOnInsert: { detectedAt: now } },
    { upsert: true },
  );
}

/** The service is charged now: off the register, in the charging transaction. */
export async function clearUnbilled(models: Models, session: ClientSession, serviceId: string): Promise<void> {
  await models.UnbilledService.deleteOne({ _id: serviceId }, { session });
}
