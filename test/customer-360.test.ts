import { describe, expect, it } from 'vitest';
import { generateWorld } from '../seed/generate.js';
import { useStack } from './helpers/stack.js';
import { withCloneOfExampleCustomer } from './helpers/world-fixtures.js';

const CUSTOMER_360 = /* GraphQL */ `
  query Customer360($id: ID!) {
    customer(id: $id) {
      id name segment slaTier status
      productOrders { id state }
      services { id state activatedAt productOffering { id name }
        supportingResources { id name category alarms(state: RAISED) { id perceivedSeverity probableCause } } }
      billingAccount { id balance { amount currency } }
    }
  }`;

let world = generateWorld('small');
world = withCloneOfExampleCustomer(withCloneOfExampleCustomer(world, 'CUST-N1-2', 2), 'CUST-N1-50', 50);
const app = useStack(world);

type Customer360 = {
  customer: {
    id: string; name: string; segment: string; slaTier: string | null; status: string;
    productOrders: { id: string; state: string }[];
    services: { id: string; state: string; activatedAt: string | null; productOffering: { id: string; name: string } | null;
      supportingResources: { id: string; name: string; category: string; alarms: { id: string }[] }[] }[];
    billingAccount: { id: string; balance: { amount: number; currency: string } } | null;
  } | null;
};

describe('Customer 360 through the gateway', () => {
  it('should link CUST-789 to its order, its active 5G service on gNB-001 and slice-5g-001, and its balance', async () => {
    const res = await app.query<Customer360>(CUSTOMER_360, { id: 'CUST-789' });
    expect(res.errors).toBeUndefined();
    const c = res.data!.customer!;
    const seed = world.customers.find((x) => x.id === 'CUST-789')!;
    expect(c).toMatchObject({ id: 'CUST-789', name: seed.name, segment: seed.segment, slaTier: seed.slaTier, status: seed.status });
    const order = world.productOrders.find((o) => o.customerId === 'CUST-789' && o.items.some((i) => i.serviceId === 'svc-5g-001'))!;
    expect(c.productOrders).toContainEqual({ id: order.id, state: 'COMPLETED' });
    const svc = c.services.find((s) => s.id === 'svc-5g-001')!;
    expect(svc).toMatchObject({ state: 'ACTIVE', productOffering: { id: '5G_PREMIUM' } });
    expect(svc.activatedAt).toBe(world.services.find((s) => s.id === 'svc-5g-001')!.activatedAt!.toISOString());
    expect(svc.supportingResources.map((r) => r.id)).toEqual(['gNB-001', 'slice-5g-001']);
    const account = world.billingAccounts.find((a) => a.customerId === 'CUST-789')!;
    expect(c.billingAccount).toEqual({ id: account.id, balance: { amount: account.balance, currency: account.currency } });
  });

  it('should show exactly the raised alarms of the supporting resources', async () => {
    const res = await app.query<Customer360>(CUSTOMER_360, { id: 'CUST-789' });
    for (const service of res.data!.customer!.services) {
      for (const r of service.supportingResources) {
        const expected = world.alarms.filter((a) => a.resourceId === r.id && a.state === 'RAISED').map((a) => a.id).sort();
        expect(r.alarms.map((a) => a.id).sort()).toEqual(expected);
      }
    }
  });

  it('should answer null for an unknown customer, without errors', async () => {
    const res = await app.query<Customer360>(CUSTOMER_360, { id: 'CUST-DOES-NOT-EXIST' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.customer).toBeNull();
  });

  it('should issue as many database commands for 50 services as for 2 (no N+1)', async () => {
    const small = await app.query<Customer360>(CUSTOMER_360, { id: 'CUST-N1-2' });
    const big = await app.query<Customer360>(CUSTOMER_360, { id: 'CUST-N1-50' });
    expect(small.data!.customer!.services).toHaveLength(2);
    expect(big.data!.customer!.services).toHaveLength(50);
    const commands = (r: typeof small) => (r.extensions!.dbCommands as { total: number }).total;
    expect(commands(small)).toBeGreaterThan(0);
    expect(commands(big)).toBe(commands(small));
  });
});
