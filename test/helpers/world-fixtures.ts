import type { World, WorldBillingAccount, WorldCustomer, WorldService } from '../../seed/world.js';

/**
 * Adds a copy of the seed example customer (CUST-789) holding `serviceCount` copies of its
 * 5G service on the same resources, with its own billing account: lets tests compare a small
 * and a big Customer 360 with otherwise identical shape.
 */
export function withCloneOfExampleCustomer(world: World, id: string, serviceCount: number): World {
  const customer = world.customers.find((c) => c.id === 'CUST-789') as WorldCustomer;
  const service = world.services.find((s) => s.id === 'svc-5g-001') as WorldService;
  const account = world.billingAccounts.find((a) => a.customerId === 'CUST-789') as WorldBillingAccount;
  const services = Array.from({ length: serviceCount }, (_, i) => ({ ...service, id: `${id}-svc-${i}`, customerId: id }));
  return {
    ...world,
    customers: [...world.customers, { ...customer, id, name: `${customer.name} (${serviceCount} services)` }],
    services: [...world.services, ...services],
    billingAccounts: [...world.billingAccounts, { ...account, id: `BA-${id}`, customerId: id, charges: [], bills: [], payments: [] }],
  };
}
