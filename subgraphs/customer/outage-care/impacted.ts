import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

const IMPACT = `query OutageImpact($ids: [ID!]!) { resourceSetImpact(resourceIds: $ids) { customerCount allCustomerIds } }`;

/**
 * The customers a failure of these resources hurts, from inventory's impact API (customers of the
 * ACTIVE services on them or on anything relying on them): the customer subgraph knows no
 * topology. Ascending ids. Throws SUBGRAPH_UNAVAILABLE when inventory does not answer, so the
 * outbox consumer retries the event instead of notifying nobody.
 */
export async function impactedCustomerIds(config: AppConfig, resourceIds: readonly string[]): Promise<string[]> {
  const data = await querySubgraph<{ resourceSetImpact: { customerCount: number; allCustomerIds: string[] } }>(config, 'inventory', IMPACT, { ids: resourceIds });
  return data.resourceSetImpact.allCustomerIds;
}
