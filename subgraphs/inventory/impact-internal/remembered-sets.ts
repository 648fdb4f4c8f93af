import { createHash } from 'node:crypto';
import { LruMap } from '../../../kit/lru-map.js';
import type { Impact } from '../topology/impact.js';

/** A few dozen alarm groups at a time; each is at most the whole topology (~9,000 ids on the large seed). */
const MAX_SETS = 64;

/**
 * Resource sets callers asked about, under the key they chose for them. Why: an alarm group's
 * set is thousands of ids and the NOC asks about the same group over and over; shipping and
 * parsing the list was most of a warm answer. A key names the list's content (the caller
 * derives it from the ids), so an entry never goes stale: it only needs to be remembered.
 * Per process: a caller that reaches another instance is told "unknown" and sends the ids again.
 */
export type RememberedSets = LruMap<string, readonly string[]>;

const registries = new WeakMap<object, RememberedSets>();

/** The remembered sets of the subgraph these models belong to. */
export function rememberedSets(models: object): RememberedSets {
  let sets = registries.get(models);
  if (!sets) registries.set(models, (sets = new LruMap(MAX_SETS)));
  return sets;
}

const customerSetKeys = new WeakMap<Impact, string>();

/**
 * A key naming an impact's customer set by content (a digest of the ascending ids), so the
 * customer subgraph can keep a tally under it; computed once per cached impact.
 */
export function customerSetKey(impact: Impact): string {
  let key = customerSetKeys.get(impact);
  if (!key) {
    const hash = createHash('sha1');
    for (const c of impact.customers) hash.update(c.customerId).update('\n');
    customerSetKeys.set(impact, (key = `c:${hash.digest('base64url')}`));
  }
  return key;
}
