import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

/** A customer-facing service inventory reports ACTIVE, as the reconciliation needs it. */
export interface ActiveService {
  id: string;
  activatedAt: string | null;
  customer: { id: string } | null;
  productOffering: { id: string } | null;
}

const ACTIVE_SERVICES = /* GraphQL */ `
  query BillingActiveServices($first: Int!, $after: String) {
    services(first: $first, after: $after, filter: { state: ACTIVE, category: CUSTOMER_FACING }) {
      edges { node { id activatedAt customer { id } productOffering { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

/** Services per call: inventory's default page limit (MAX_PAGE_SIZE is usually the same for both). */
const PAGE_SIZE = 100;

interface ServicePage {
  services: { edges: { node: ActiveService }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/**
 * Every active customer-facing service, page by page, from inventory's API (billing never reads
 * inventory's database). Resource-facing services are building blocks nobody is billed for. An
 * unreachable inventory throws SUBGRAPH_UNAVAILABLE.
 */
export async function* activeServicePages(config: AppConfig): AsyncGenerator<ActiveService[]> {
  let after: string | null = null;
  do {
    const data: ServicePage = await querySubgraph<ServicePage>(config, 'inventory', ACTIVE_SERVICES, { first: Math.min(PAGE_SIZE, config.maxPageSize), after });
    yield data.services.edges.map((e) => e.node);
    after = data.services.pageInfo.hasNextPage ? data.services.pageInfo.endCursor : null;
  } while (after);
}
