import type { Models } from '../models.js';
import { tallyCacheOf, tallyKey } from './tally-cache.js';

/** SLA tiers from lowest to highest, as the SDL lists them. */
export const SLA_TIERS = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] as const;
type SlaTier = (typeof SLA_TIERS)[number];

/** How many customers of a set there are, by segment and tier. */
export interface CustomerTally {
  customerCount: number;
  enterpriseCount: number;
  /** Every tier, lowest first, zeros included (customers without a tier are in no bucket). */
  bySlaTier: { tier: SlaTier; count: number }[];
}

/** Keeps one `$in` list well under the 16 MB command limit (inventory's walks use the same bound). */
const MAX_IN_IDS = 20_000;

interface Bucket {
  _id: { segment: string; slaTier: SlaTier | null };
  count: number;
}

/** Counts per (segment, tier) pair, computed by the database: a handful of rows instead of thousands of customers. */
async function countBuckets(models: Models, ids: string[]): Promise<Bucket[]> {
  const chunks: string[][] = [];
  for (let i = 0; i < ids.length; i += MAX_IN_IDS) chunks.push(ids.slice(i, i + MAX_IN_IDS));
  const replies = await Promise.all(chunks.map((chunk) => models.Customer.aggregate<Bucket>([
    { $match: { _id: { $in: chunk } } },
    { $group: { _id: { segment: '$segment', slaTier: { $ifNull: ['$slaTier', null] } }, count: { $sum: 1 } } },
  ]).exec()));
  return replies.flat();
}

function tallyOf(buckets: readonly Bucket[]): CustomerTally {
  const byTier = new Map<SlaTier, number>(SLA_TIERS.map((t) => [t, 0]));
  let customerCount = 0;
  let enterpriseCount = 0;
  for (const { _id, count } of buckets) {
    customerCount += count;
    if (_id.segment === 'ENTERPRISE') enterpriseCount += count;
    if (_id.slaTier) byTier.set(_id.slaTier, (byTier.get(_id.slaTier) ?? 0) + count);
  }
  return { customerCount, enterpriseCount, bySlaTier: SLA_TIERS.map((tier) => ({ tier, count: byTier.get(tier)! })) };
}

/** Sets callers named (`rememberAs`): a tally evicted by a customer write is recounted without the ids being sent again. */
const MAX_REMEMBERED = 64;
const remembered = new WeakMap<Models, Map<string, string[]>>();

function remember(models: Models, key: string, ids: string[]): void {
  let sets = remembered.get(models);
  if (!sets) remembered.set(models, (sets = new Map()));
  sets.delete(key);
  sets.set(key, ids);
  for (const oldest of sets.keys()) {
    if (sets.size <= MAX_REMEMBERED) break;
    sets.delete(oldest);
  }
}

async function cachedTally(models: Models, key: string, ids: string[]): Promise<CustomerTally> {
  const cache = tallyCacheOf(models);
  const hit = cache.get(key);
  if (hit) return hit;
  const startedAt = cache.begin();
  const tally = tallyOf(ids.length ? await countBuckets(models, ids) : []);
  cache.set(key, tally, startedAt);
  return tally;
}

/**
 * Tally of the customers with these ids (duplicates once, unknown ids not counted), from the
 * process-wide cache when the same set was tallied since the last customer write. With
 * `rememberAs`, the set is kept under that caller-chosen key (it must name exactly this set).
 */
export async function tallyCustomers(models: Models, customerIds: readonly string[], rememberAs?: string | null): Promise<CustomerTally> {
  const ids = [...new Set(customerIds)];
  if (!rememberAs) return cachedTally(models, tallyKey(ids), ids);
  remember(models, rememberAs, ids);
  return cachedTally(models, `k:${rememberAs}`, ids);
}

/** Tally of a set sent earlier with `rememberAs`; null when it is not remembered here (send the ids again). */
export async function rememberedTally(models: Models, key: string): Promise<CustomerTally | null> {
  const hit = tallyCacheOf(models).get(`k:${key}`);
  if (hit) return hit;
  const ids = remembered.get(models)?.get(key);
  return ids ? cachedTally(models, `k:${key}`, ids) : null;
}
