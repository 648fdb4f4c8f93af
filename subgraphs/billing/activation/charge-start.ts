import type { ClientSession } from 'mongoose';
import { onceOnly } from '../../../kit/outbox/once.js';
import type { OutboxEvent } from '../../../kit/outbox/types.js';
import type { BackgroundDeps } from '../../../kit/subgraph.js';
import type { BillingAccountDoc, ChargeDoc, Models } from '../models.js';
import { clearUnbilled, recordUncharged } from '../revenue-assurance/register.js';
import { fetchOfferingPrices, type OfferingPrice, type PricedOffering } from './offering-prices.js';
import { readServiceActivation, type NamedInEvent, type ServiceActivation } from './service-event.js';

/** Consumer name: keys the feed cursor and the dedupe records of this reaction. */
export const CHARGE_START_CONSUMER = 'billing.charge-start';

/**
 * What the reaction works with — what the module's `background` hook gets: billing's own models
 * and connection (the dedupe record commits in the same transaction as the charges) and the
 * config to reach catalog.
 */
export type BillingReactionDeps = BackgroundDeps<Models>;

/** What one delivery of an event did (tests and logs; the consumer only needs it not to throw). */
export type ChargeStartOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'duplicate' }
  | { kind: 'charged'; billingAccountId: string; createdChargeIds: string[]; ratingGroups: string[] };

/** Prices billing turns into charges when a service starts; usage is charged when rated. */
const CHARGED_AT_ACTIVATION = new Set<OfferingPrice['priceType']>(['RECURRING', 'ONE_TIME']);

/**
 * Billing start (contract step 6): a service reported ACTIVE by inventory gets, on its
 * customer's billing account, one charge per RECURRING price and the ONE_TIME activation fee of
 * its offering, all starting at `activatedAt` — never earlier, never for a service that is not
 * active — plus its charging profile (rating groups of the offering's USAGE prices).
 *
 * Exactly once: the dedupe record of the event, the account, the charges and the profile commit
 * in one transaction; a second event for the same service is absorbed by upserts keyed like the
 * unique {serviceId, priceId} index. The catalog is read before the transaction (a transaction
 * may be retried and must do nothing but database work); an unreachable catalog throws, so the
 * consumer retries. Events that cannot start charging are skipped with a log line.
 */
export async function startCharging(deps: BillingReactionDeps, event: OutboxEvent): Promise<ChargeStartOutcome> {
  const reading = readServiceActivation(event);
  if ('ignored' in reading) {
    // Other states are the normal case and pass silently; a malformed ACTIVE event is a service
    // that may go unbilled, so it leaves a trace — on the leakage register when it names the service.
    if (reading.malformed) {
      deps.log(`billing: event ${event.eventId} not charged: ${reading.ignored}`);
      await registerMalformed(deps, event.eventId, reading.named, reading.ignored);
    }
    return { kind: 'ignored', reason: reading.ignored };
  }
  const activation = reading.activation;
  const offering = await fetchOfferingPrices(deps.config, activation.productOfferingId);
  if (!offering) {
    // Not retryable: waiting does not make the catalog know it, and retrying for ever would
    // stall every activation behind it. The leakage register keeps it in front of finance.
    deps.log(`billing: service ${activation.serviceId} is ACTIVE but catalog has no offering ${activation.productOfferingId}; not charged (event ${activation.eventId})`);
    await recordUncharged(deps.models, {
      serviceId: activation.serviceId, customerId: activation.customerId, productOfferingId: activation.productOfferingId, activatedAt: activation.activatedAt,
      reason: 'UNKNOWN_OFFERING', detail: `catalog has no product offering ${activation.productOfferingId} to price it (event ${activation.eventId})`,
    });
    return { kind: 'ignored', reason: `unknown offering ${activation.productOfferingId}` };
  }
  if (activation.activatedAtFromEventTime) {
    deps.log(`billing: event ${activation.eventId} has no activatedAt; charging service ${activation.serviceId} from its eventTime`);
  }
  const outcome = await onceOnly(deps.conn, CHARGE_START_CONSUMER, activation.eventId, (session) => chargeService(deps.models, session, activation, offering));
  if (!outcome) return { kind: 'duplicate' };
  deps.log(`billing: service ${activation.serviceId} charged on ${outcome.billingAccountId} from ${activation.activatedAt.toISOString()} (${outcome.createdChargeIds.length} new charges)`);
  return outcome;
}

/** A malformed activation that still names its service goes on the leakage register. */
async function registerMalformed(deps: BillingReactionDeps, eventId: string, { serviceId, ...named }: NamedInEvent, why: string): Promise<void> {
  if (!serviceId) return;
  await recordUncharged(deps.models, {
    serviceId, ...named, activatedAt: null,
    reason: 'MALFORMED_EVENT', detail: `inventory's activation event ${eventId} could not be charged: ${why}`,
  });
}

/** The database half of `startCharging`, inside the dedupe transaction. */
async function chargeService(models: Models, session: ClientSession, activation: ServiceActivation, offering: PricedOffering): Promise<ChargeStartOutcome & { kind: 'charged' }> {
  const charged = offering.prices.filter((p) => CHARGED_AT_ACTIVATION.has(p.priceType));
  const currency = charged[0]?.price.currency ?? 'EUR';
  // Upserts below set nothing on documents that exist (no `updatedAt` either): a redelivery
  // writes nothing, and activations of one customer's services do not conflict on the account.
  const now = new Date();
  const account = await accountOf(models, session, activation.customerId, currency, now);
  const createdChargeIds: string[] = [];
  for (const price of charged) {
    const doc = chargeDoc(activation, offering, price, account._id);
    const { _id, serviceId, priceId, ...rest } = doc;
    // Keyed like the unique {serviceId, priceId} index: a second activation event of the same
    // service (another eventId) finds the charge instead of failing on the index.
    const res = await models.Charge.updateOne({ serviceId, priceId }, { $setOnInsert: { _id, ...rest, createdAt: now, updatedAt: now } }, { upsert: true, session, timestamps: false });
    if (res.upsertedCount) createdChargeIds.push(_id);
  }
  const ratingGroups = [...new Set(offering.prices.filter((p) => p.priceType === 'USAGE' && p.ratingGroup).map((p) => p.ratingGroup!))];
  await models.ChargingProfile.updateOne(
    { _id: activation.serviceId },
    { $setOnInsert: { customerId: activation.customerId, billingAccountId: account._id, productOfferingId: offering.id, ratingGroups, since: activation.activatedAt, createdAt: now, updatedAt: now } },
    { upsert: true, session, timestamps: false },
  );
  await clearUnbilled(models, session, activation.serviceId);
  return { kind: 'charged', billingAccountId: account._id, createdChargeIds, ratingGroups };
}

/**
 * Billing account ids follow the seed's convention (CUST-789 → BA-789); other customer ids are
 * prefixed (X → BA-X). The unique customerId index keeps it one account per customer.
 */
export const newAccountIdFor = (customerId: string) => `BA-${customerId.replace(/^CUST-/, '')}`;

/**
 * The customer's billing account, opened (ACTIVE, no payment method yet, named after the
 * customer id — billing does not hold customer names) when the customer has none: an active
 * service must never go unbilled for want of an account. The upsert on the unique customerId
 * keeps concurrent activations of one customer to one account.
 */
async function accountOf(models: Models, session: ClientSession, customerId: string, currency: string, now: Date): Promise<BillingAccountDoc> {
  const account = await models.BillingAccount.findOneAndUpdate(
    { customerId },
    { $setOnInsert: { _id: newAccountIdFor(customerId), name: `${customerId} – main account`, state: 'ACTIVE', currency, balance: 0, paymentMethod: null, createdAt: now, updatedAt: now } },
    { upsert: true, returnDocument: 'after', session, timestamps: false },
  ).lean<BillingAccountDoc>();
  return account!;
}

function chargeDoc(activation: ServiceActivation, offering: PricedOffering, price: OfferingPrice, billingAccountId: string): Omit<ChargeDoc, 'createdAt' | 'updatedAt'> & { priceId: string; serviceId: string } {
  return {
    _id: `CHG-${activation.serviceId}-${price.id}`,
    billingAccountId,
    chargeType: price.priceType as ChargeDoc['chargeType'],
    description: `${offering.name} – ${price.name.toLowerCase()}`,
    amount: price.price.amount,
    currency: price.price.currency,
    startDate: activation.activatedAt,
    endDate: null,
    productOfferingId: offering.id,
    priceId: price.id,
    serviceId: activation.serviceId,
    state: 'ACTIVE',
  };
}
