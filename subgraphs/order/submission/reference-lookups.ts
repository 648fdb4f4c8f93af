import DataLoader from 'dataloader';
import type { AppConfig, SubgraphName } from '../../../kit/config.js';
import { queryEach } from '../../../kit/remote.js';
import type { Submission } from './input.js';
import type { References, RemoteCustomer, RemoteOffering } from './references.js';

/** Most ids one request asks for: a burst larger than this is split into several requests. */
const MAX_IDS_PER_REQUEST = 100;
/** Requests to one subgraph at once; ids asked for meanwhile wait and go out together in the next. */
const MAX_REQUESTS_IN_FLIGHT = 2;

/**
 * Paces one lookup's requests: while fewer than MAX_REQUESTS_IN_FLIGHT are out, a batch goes at
 * the end of this event loop turn; otherwise it keeps gathering ids until one comes back. A lone
 * submission waits for nothing; in a burst the requests grow instead of multiplying (the
 * submissions of a burst reach this point in different turns, one database reply at a time).
 */
class RequestPacer {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  /** DataLoader's batchScheduleFn. */
  readonly schedule = (send: () => void): void => {
    if (this.inFlight < MAX_REQUESTS_IN_FLIGHT) this.start(() => setImmediate(send));
    else this.waiting.push(send);
  };

  /** Called when a batch's request has come back (or failed). */
  done(): void {
    this.inFlight -= 1;
    const next = this.waiting.shift();
    if (next) this.start(next);
  }

  private start(send: () => void): void {
    this.inFlight += 1;
    send();
  }
}

const CUSTOMER_SELECTION = 'id status';
const OFFERING_SELECTION = 'id isSellable lifecycleStatus productSpecification { characteristics { name valueType allowedValues mandatory defaultValue } }';

/**
 * Lookups of one subgraph's entities shared by every submission this process is handling at the
 * same moment: the ids gathered while earlier requests are out go out as ONE aliased request
 * (see RequestPacer). Nothing is cached — each submission sees the customer and offering as they are when
 * it is checked — so only work in flight together is shared.
 */
function sharedLookup<T>(config: AppConfig, subgraph: SubgraphName, field: string, selection: string): DataLoader<string, T | null> {
  const pacer = new RequestPacer();
  return new DataLoader<string, T | null>(async (ids) => {
    try {
      const found = await queryEach<T>(config, subgraph, field, selection, ids);
      return ids.map((id) => found.get(id) ?? null);
    } finally {
      pacer.done();
    }
  }, { cache: false, maxBatchSize: MAX_IDS_PER_REQUEST, batchScheduleFn: pacer.schedule });
}

class ReferenceLookups {
  private readonly customers: DataLoader<string, RemoteCustomer | null>;
  private readonly offerings: DataLoader<string, RemoteOffering | null>;

  constructor(config: AppConfig) {
    this.customers = sharedLookup(config, 'customer', 'customer', CUSTOMER_SELECTION);
    this.offerings = sharedLookup(config, 'catalog', 'productOffering', OFFERING_SELECTION);
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
 * never their databases. Submissions in flight together share the requests: a burst of 200
 * costs the customer and catalog subgraphs a request or two each instead of 200 (each a
 * connection, a parse and an execution on both sides, on the same cores as everything else).
 * When a subgraph does not answer, every submission waiting on that request fails with
 * SUBGRAPH_UNAVAILABLE naming it, and stores nothing.
 */
export function loadReferences(config: AppConfig, s: Submission): Promise<References> {
  let shared = lookups.get(config);
  if (!shared) lookups.set(config, (shared = new ReferenceLookups(config)));
  return shared.load(s);
}
