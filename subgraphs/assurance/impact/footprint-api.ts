import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

/** The resources a service stands on (inventory's `@inaccessible` `ServiceFootprint`). */
export interface Footprint {
  serviceId: string;
  customerId: string | null;
  state: string;
  resourceIds: string[];
}

const FOOTPRINT = 'serviceId customerId state resourceIds';

/** Footprints of these services (any state; unknown ids left out), in one call. */
export async function fetchServiceFootprints(config: AppConfig, serviceIds: readonly string[]): Promise<Footprint[]> {
  const data = await querySubgraph<{ serviceFootprints: Footprint[] }>(config, 'inventory', `query ($ids: [ID!]!) { serviceFootprints(serviceIds: $ids) { ${FOOTPRINT} } }`, { ids: serviceIds });
  return data.serviceFootprints;
}

/** Footprints of the ACTIVE services of these customers, in one call. */
export async function fetchCustomerFootprints(config: AppConfig, customerIds: readonly string[]): Promise<Footprint[]> {
  const data = await querySubgraph<{ customerFootprints: Footprint[] }>(config, 'inventory', `query ($ids: [ID!]!) { customerFootprints(customerIds: $ids) { ${FOOTPRINT} } }`, { ids: customerIds });
  return data.customerFootprints;
}
