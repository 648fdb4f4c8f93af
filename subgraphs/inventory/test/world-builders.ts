import { partialWorld } from '../../../kit/testing.js';
import type { World, WorldCustomer, WorldResource, WorldService } from '../../../seed/world.js';

/** Builders for hand-written test worlds: only the fields a test cares about need be given. */

export const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000);

export function resource(id: string, category: WorldResource['category'], more: Partial<WorldResource> = {}): WorldResource {
  return {
    id, name: `${category.toLowerCase()} ${id}`, category, reliesOn: [], bundledIn: null, placeId: null, characteristics: [], capacity: null,
    administrativeState: 'UNLOCKED', operationalState: 'ENABLE', usageState: 'ACTIVE', resourceStatus: 'AVAILABLE', ...more,
  };
}

export function service(id: string, customerId: string | null, more: Partial<WorldService> = {}): WorldService {
  return {
    id, name: `service ${id}`, category: customerId ? 'CUSTOMER_FACING' : 'RESOURCE_FACING', state: 'ACTIVE', customerId,
    productOfferingId: customerId ? 'FIBRE_1G' : null, serviceSpecificationId: customerId ? 'CFS_FIBRE' : 'RFS_ACCESS', characteristics: [],
    activatedAt: day(10), supportingResourceIds: [], supportingServiceIds: [], ...more,
  };
}

export function customer(id: string, more: Partial<WorldCustomer> = {}): WorldCustomer {
  return {
    id, name: `Customer ${id}`, segment: 'CONSUMER', slaTier: null, status: 'ACTIVE', email: `${id.toLowerCase()}@example.com`, phone: '+33100000000',
    address: { street: '1 rue de la Paix', city: 'Paris', postCode: '75002', country: 'FR' }, creditScore: 700, createdAt: day(0), ...more,
  };
}

/** A World with only what inventory reads filled in; the rest empty. */
export function world(parts: Pick<World, 'resources' | 'services'> & Partial<World>): World {
  return partialWorld(parts, 'fibre-001');
}
