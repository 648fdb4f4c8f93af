import type { AppConfig } from '../../../kit/config.js';
import { querySubgraph } from '../../../kit/remote.js';

/** A catalog price as billing applies it (TMF620 ProductOfferingPrice, the fields billing needs). */
export interface OfferingPrice {
  id: string;
  name: string;
  priceType: 'RECURRING' | 'ONE_TIME' | 'USAGE' | 'ALLOWANCE' | 'DISCOUNT' | 'PENALTY';
  price: { amount: number; currency: string };
  ratingGroup: string | null;
}

/** The offering's name (for charge descriptions) and its prices. */
export interface PricedOffering {
  id: string;
  name: string;
  prices: OfferingPrice[];
}

const OFFERING_PRICES = /* GraphQL */ `
  query BillingOfferingPrices($id: ID!) {
    productOffering(id: $id) { id name prices { id name priceType price { amount currency } ratingGroup } }
  }`;

/**
 * Reads an offering's prices from the catalog subgraph's API (billing never reads catalog's
 * database). Null when the catalog does not know the offering; an unreachable catalog throws
 * SUBGRAPH_UNAVAILABLE, which the outbox consumer retries.
 */
export async function fetchOfferingPrices(config: AppConfig, productOfferingId: string): Promise<PricedOffering | null> {
  const data = await querySubgraph<{ productOffering: PricedOffering | null }>(config, 'catalog', OFFERING_PRICES, { id: productOfferingId });
  return data.productOffering;
}
