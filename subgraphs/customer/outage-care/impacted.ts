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

/**
 * Which of `alarmIds` are now children of `rootId`, from the assurance API: alarms that were
 * root causes for a moment (raised before the real root arrived) and have been re-parented.
 */
export async function childrenAmong(config: AppConfig, rootId: string, alarmIds: readonly string[]): Promise<string[]> {
  if (!alarmIds.length) return [];
  const vars = Object.fromEntries(alarmIds.map((id, i) => [`a${i}`, id]));
  const query = `query (${alarmIds.map((_, i) => `$a${i}: ID!`).join(', ')}) { ${alarmIds.map((_, i) => `a${i}: alarm(id: $a${i}) { id parentAlarm { id } }`).join(' ')} }`;
  const data = await querySubgraph<Record<string, { id: string; parentAlarm: { id: string } | null } | null>>(config, 'assurance', query, vars);
  return Object.values(data).filter((a) => a?.parentAlarm?.id === rootId).map((a) => a!.id);
}
