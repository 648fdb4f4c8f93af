import type DataLoader from 'dataloader';
import type { AppConfig, SubgraphName } from '../../../kit/config.js';
import { queryEach } from '../../../kit/remote.js';
import { sharedLoader } from '../../../kit/shared-loader.js';
import type { Submission } from './input.js';
import type { References, RemoteCustomer, RemoteOffering } from './references.js';

const CUSTOMER_SELECTION = 'id status';
const OFFERING_SELECTION = 'id isSellable lifecycleStatus productSpecification { characteristics { name valueType allowedValues mandatory defaultValue } }';

/** One subgraph's entities by id, the ids of a batch aliased into ONE request. */
function lookup<T>(config: AppConfig, subgraph: SubgraphName, field: string, selection: string): DataLoader<string, T | null> {
  return sharedLoader(async (ids) => {
    const found = await queryEach<T>(config, subgraph, field, selection, ids);
    return ids.map((id) => found.get(id) ?? null);
  });
}

class ReferenceLookups {
  private readonly customers: DataLoader<string, RemoteCustomer | null>;
  private readonly offerings: DataLoader<string, RemoteOffering | null>;

  constructor(config: AppConfig) {
    this.customers = lookup(config, 'customer', 'customer', CUSTOMER_SELECTION);
    this.offerings = lookup(config, 'catalog', 'productOffering', OFFERING_SELECTION);
  }

  async load(s: Submission): Promise<References> {
    const offeringIds = [...new Set(s.items.map((i) => i.productOfferingId))];
    const [customer, offerings] = await Promise.all([
      this.customers.load(s.customerId),
      Promise.all(offeringIds.map((id) => this.offerings.load(id))),
    ]);
    return { customer, offerings: new Map(offeringIds.map((id, i) => [id, offerings[i]])) };
  }
}

/** One set of lookups per process (per configuration: tests run several instances in one process). */
const lookups = new WeakMap<AppConfig, ReferenceLookups>();

/**
 * Reads the customer and every offering of the submission from their subgraphs' GraphQL APIs —
 * never their databases. Submissions in flight together share the requests (kit/shared-loader):
 * a burst of 200 costs the customer and catalog subgraphs a few requests each instead of 200
 * (each a connection, a parse and an execution on both sides, on the same cores as everything
 * else). When a subgraph does not answer, every submission waiting on that request fails with
 * SUBGRAPH_UNAVAILABLE naming it, and stores nothing.
 */
export function loadReferences(config: AppConfig, s: Submission): Promise<References> {
  let shared = lookups.get(config);
  if (!shared) lookups.set(config, (shared = new ReferenceLookups(config)));
  return shared.load(s);
}
