import { describe, expect, it } from 'vitest';
import { generateWorld } from '../seed/generate.js';
import { useStack } from './helpers/stack.js';

const world = generateWorld('small');
const app = useStack(world);

type Page = { totalCount: number; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

describe('lists portals page through', () => {
  it('should walk every customer exactly once, page by page, in a stable order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: { data?: { customers: Page } | null; errors?: unknown } = await app.query<{ customers: Page }>(
        `query ($c: String) { customers(first: 20, after: $c) { totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }`, { c: after },
      );
      expect(res.errors).toBeUndefined();
      const page = res.data!.customers;
      expect(page.totalCount).toBe(world.customers.length);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(world.customers.map((c) => c.id).sort());
  });

  it('should filter raised alarms', async () => {
    const res = await app.query<{ alarms: Page & { edges: { node: { id: string; perceivedSeverity: string } }[] } }>(
      `{ alarms(first: 20, filter: { state: RAISED }) { totalCount edges { node { id perceivedSeverity } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.alarms.totalCount).toBe(world.alarms.filter((a) => a.state === 'RAISED').length);
  });

  it('should show a product order with its items and the services they realised', async () => {
    const order = world.productOrders.find((o) => o.customerId === 'CUST-789' && o.state === 'COMPLETED')!;
    const res = await app.query<{ productOrder: { id: string; state: string; items: { id: string; action: string; state: string; service: { id: string; state: string } | null }[] } }>(
      `query ($id: ID!) { productOrder(id: $id) { id state items { id action state service { id state } } } }`, { id: order.id },
    );
    expect(res.errors).toBeUndefined();
    const item = res.data!.productOrder.items.find((i) => i.service?.id === 'svc-5g-001')!;
    expect(item).toMatchObject({ action: 'ADD', state: 'COMPLETED', service: { id: 'svc-5g-001', state: 'ACTIVE' } });
  });
});

describe('bad input', () => {
  const customers = (args: string) => app.query(`{ customers(${args}) { totalCount edges { node { id } } } }`);

  it('should reject a negative first naming the argument', async () => {
    const res = await customers('first: -1');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('first');
  });

  it('should reject an oversized page naming the argument', async () => {
    const res = await customers('first: 100000');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('first');
  });

  it('should reject a cursor it did not issue', async () => {
    const res = await customers('first: 5, after: "not-a-cursor"');
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0].message).toContain('after');
  });

  it('should reject an unknown enum value before reaching any subgraph', async () => {
    const res = await app.query(`{ alarms(first: 5, filter: { state: EXPLODED }) { totalCount } }`);
    expect(res.status).toBe(400);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toContain('EXPLODED');
  });

  it('should answer an empty connection for unknown ids', async () => {
    const res = await app.query<{ resource: unknown; customer: unknown }>(`{ resource(id: "nope") { id } customer(id: "nope") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ resource: null, customer: null });
  });
});
