import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

/** The SLA tiers, lowest first (the customer subgraph's `SlaTier`). */
export type SlaTier = 'BRONZE' | 'SILVER' | 'GOLD' | 'PLATINUM';

/** The customer subgraph's `CustomerTally`. */
export interface CustomerTally {
  customerCount: number;
  enterpriseCount: number;
  bySlaTier: { tier: SlaTier; count: number }[];
}

const TALLY = 'query ($ids: [ID!]!, $key: String) { customerTally(customerIds: $ids, rememberAs: $key) { customerCount enterpriseCount bySlaTier { tier count } } }';
const REMEMBERED = 'query ($key: String!) { rememberedCustomerTally(setKey: $key) { customerCount enterpriseCount bySlaTier { tier count } } }';

/**
 * Segment and tier counts of a set of customers through the customer subgraph's `@inaccessible`
 * tally (assurance never reads customer data itself), which caches tallies. The set is named by
 * `setKey` (inventory's `customerSetKey`): only when the customer subgraph does not remember that
 * name are the ids fetched (`ids()`) and sent, once.
 */
export async function fetchCustomerTally(config: AppConfig, setKey: string, ids: () => Promise<string[]>): Promise<CustomerTally> {
  const known = await querySubgraph<{ rememberedCustomerTally: CustomerTally | null }>(config, 'customer', REMEMBERED, { key: setKey });
  if (known.rememberedCustomerTally) return known.rememberedCustomerTally;
  const data = await querySubgraph<{ customerTally: CustomerTally }>(config, 'customer', TALLY, { ids: await ids(), key: setKey });
  return data.customerTally;
}
