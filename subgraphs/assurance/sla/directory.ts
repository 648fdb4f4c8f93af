import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';
import type { Money, SlaTier } from './terms.js';

/** What SLA evaluation needs to know about a service, from the subgraphs that own it. */
export interface ServiceSla {
  serviceId: string;
  /** Only active services are under SLA (a terminated one no longer earns credits). */
  active: boolean;
  customerId: string | null;
  segment: 'CONSUMER' | 'ENTERPRISE' | null;
  tier: SlaTier | null;
  /** The offering's monthly recurring price: what SLA credits are a share of. */
  monthlyFee: Money | null;
  /** Resources supporting the service, in inventory's order. */
  resourceIds: string[];
}

interface RemoteService {
  id: string;
  state: string;
  customer: { id: string } | null;
  productOffering: { id: string } | null;
  supportingResources: { id: string }[];
}
interface RemoteCustomer { id: string; segment: 'CONSUMER' | 'ENTERPRISE'; slaTier: SlaTier | null }
interface RemoteOffering { id: string; prices: { priceType: string; recurringChargePeriod: string | null; price: Money }[] }

/**
 * Facts change rarely (a customer's tier, an offering's price) and are asked for every ingested
 * batch: a minute's staleness is the price of not calling three subgraphs per batch. An unknown
 * service is remembered briefly only, as the activation saga creates services all the time.
 */
const TTL_MS = 60_000;
const MISS_TTL_MS = 5_000;
/** Ids per remote query: one GraphQL document with an aliased field per id. */
const CHUNK = 100;

/** One aliased field per id (`q0: service(id: $v0) { … }`), answered as a map id → value. */
async function lookupMany<T>(config: AppConfig, subgraph: 'inventory' | 'customer' | 'catalog', field: string, selection: string, ids: string[]): Promise<Map<string, T | null>> {
  const out = new Map<string, T | null>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const query = `query (${chunk.map((_, j) => `$v${j}: ID!`).join(', ')}) { ${chunk.map((_, j) => `q${j}: ${field}(id: $v${j}) { ${selection} }`).join(' ')} }`;
    const data = await querySubgraph<Record<string, T | null>>(config, subgraph, query, Object.fromEntries(chunk.map((id, j) => [`v${j}`, id])));
    chunk.forEach((id, j) => out.set(id, data[`q${j}`] ?? null));
  }
  return out;
}

function monthlyFeeOf(offering: RemoteOffering | null | undefined): Money | null {
  const recurring = offering?.prices.find((p) => p.priceType === 'RECURRING' && (p.recurringChargePeriod ?? 'MONTH') === 'MONTH');
  return recurring ? { amount: recurring.price.amount, currency: recurring.price.currency } : null;
}

/** A time-bounded memo of remote answers; `null` (unknown) answers are kept for a shorter time. */
class RemoteCache<T> {
  private readonly entries = new Map<string, { value: T | null; expires: number }>();

  constructor(private readonly fetch: (ids: string[]) => Promise<Map<string, T | null>>, private readonly now: () => number) {}

  async get(ids: Iterable<string>): Promise<Map<string, T | null>> {
    const now = this.now();
    const out = new Map<string, T | null>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const hit = this.entries.get(id);
      if (hit && hit.expires > now) out.set(id, hit.value);
      else missing.push(id);
    }
    if (!missing.length) return out;
    for (const [id, value] of await this.fetch(missing)) {
      out.set(id, value);
      this.entries.set(id, { value, expires: now + (value ? TTL_MS : MISS_TTL_MS) });
    }
    return out;
  }
}

/**
 * Service → customer → tier and fee, through the inventory, customer and catalog APIs (never
 * their databases), cached per subgraph instance. Whether a service exists needs inventory only,
 * so ingestion does not depend on the customer and catalog subgraphs; evaluation does.
 * Unavailable subgraphs throw SUBGRAPH_UNAVAILABLE; nothing is cached then.
 */
export class ServiceDirectory {
  private readonly services: RemoteCache<RemoteService>;
  private readonly customers: RemoteCache<RemoteCustomer>;
  private readonly offerings: RemoteCache<RemoteOffering>;

  constructor(config: AppConfig, now: () => number = Date.now) {
    this.services = new RemoteCache((ids) => lookupMany(config, 'inventory', 'service', 'id state customer { id } productOffering { id } supportingResources { id }', ids), now);
    this.customers = new RemoteCache((ids) => lookupMany(config, 'customer', 'customer', 'id segment slaTier', ids), now);
    this.offerings = new RemoteCache((ids) => lookupMany(config, 'catalog', 'productOffering', 'id prices { priceType recurringChargePeriod price { amount currency } }', ids), now);
  }

  /** The ids inventory does not know. */
  async unknown(serviceIds: readonly string[]): Promise<Set<string>> {
    const services = await this.services.get(serviceIds);
    return new Set([...services].filter(([, s]) => !s).map(([id]) => id));
  }

  /** Facts of each service; null for a service inventory does not know. */
  async lookup(serviceIds: readonly string[]): Promise<Map<string, ServiceSla | null>> {
    const services = await this.services.get(serviceIds);
    const known = [...services.values()].filter((s): s is RemoteService => s !== null);
    const [customers, offerings] = await Promise.all([
      this.customers.get(known.flatMap((s) => (s.customer ? [s.customer.id] : []))),
      this.offerings.get(known.flatMap((s) => (s.productOffering ? [s.productOffering.id] : []))),
    ]);
    return new Map([...services].map(([id, s]) => {
      if (!s) return [id, null];
      const customer = s.customer ? customers.get(s.customer.id) : null;
      return [id, {
        serviceId: id,
        active: s.state === 'ACTIVE',
        customerId: s.customer?.id ?? null,
        segment: customer?.segment ?? null,
        tier: customer?.slaTier ?? null,
        monthlyFee: monthlyFeeOf(s.productOffering ? offerings.get(s.productOffering.id) : null),
        resourceIds: s.supportingResources.map((r) => r.id),
      }];
    }));
  }
}
