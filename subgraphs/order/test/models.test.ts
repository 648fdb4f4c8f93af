import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSubgraphUnderTest, type SubgraphUnderTest } from '../../../kit/testing.js';
import { subgraph } from '../index.js';
import { orderWorld } from './fixture.js';

/**
 * Storage guarantees the coming submission flow relies on, checked against the real database.
 */
let sut: SubgraphUnderTest;
const world = orderWorld();

beforeAll(async () => {
  sut = await startSubgraphUnderTest(subgraph, world);
});
afterAll(async () => {
  await sut?.stop();
});

const orderDoc = (id: string, externalId?: string | null, customerId = 'CUST-1') => ({
  _id: id, ...(externalId === undefined ? {} : { externalId }), customerId, state: 'ACKNOWLEDGED', orderDate: new Date(), items: [], notes: [],
});

describe('product order idempotency key', () => {
  const orders = () => sut.subgraph.conn.collection('productOrders');

  it('should refuse a second order of the same customer with the same externalId', async () => {
    await expect(orders().insertOne(orderDoc('PO-DUP', 'order-12345', 'CUST-789') as never)).rejects.toMatchObject({ code: 11000 });
  });

  it('should let another customer use the same key: keys are the client’s, unique per customer', async () => {
    await orders().insertOne(orderDoc('PO-OTHER-CUSTOMER', 'order-12345', 'CUST-1') as never);
    expect(await orders().countDocuments({ externalId: 'order-12345' })).toBe(2);
  });

  it('should let any number of orders go without an externalId, absent or null', async () => {
    await orders().insertMany([orderDoc('PO-NOKEY-1'), orderDoc('PO-NOKEY-2'), orderDoc('PO-NULLKEY-1', null), orderDoc('PO-NULLKEY-2', null)] as never[]);
    expect(await orders().countDocuments({ _id: { $in: ['PO-NOKEY-1', 'PO-NOKEY-2', 'PO-NULLKEY-1', 'PO-NULLKEY-2'] } } as never)).toBe(4);
  });
});

describe('seed', () => {
  it('should be harmless to run twice', async () => {
    // createModels returns the models already bound to this connection (same schemas).
    await subgraph.seed(subgraph.createModels(sut.subgraph.conn), world);
    const res = await sut.query(`{ productOrders(first: 1) { totalCount } }`);
    // The fixture's orders plus the five the idempotency tests inserted.
    expect(res.data).toEqual({ productOrders: { totalCount: world.productOrders.length + 5 } });
  });

  it('should fail loudly instead of dropping an invalid order', async () => {
    const [valid] = world.productOrders;
    const invalid = { ...valid, id: 'PO-BAD', externalId: 'ext-bad', items: [{ ...valid.items[0], state: 'PARTIAL' as const }] };
    await expect(subgraph.seed(subgraph.createModels(sut.subgraph.conn), { ...world, productOrders: [invalid], serviceOrders: [] })).rejects.toThrow(/PARTIAL/);
  });

  it('should fail loudly when two orders of the world share an idempotency key', async () => {
    const [valid] = world.productOrders;
    const twin = { ...valid, id: 'PO-TWIN' };
    await expect(subgraph.seed(subgraph.createModels(sut.subgraph.conn), { ...world, productOrders: [twin], serviceOrders: [] })).rejects.toMatchObject({ code: 11000 });
  });

  it('should declare an index for every field it filters, sorts or batch-loads by', async () => {
    const keys = (await sut.subgraph.conn.collection('productOrders').indexes()).map((i) => i.key);
    expect(keys).toEqual(expect.arrayContaining([
      { customerId: 1, externalId: 1 }, { customerId: 1, orderDate: -1, _id: -1 }, { state: 1, orderDate: -1, _id: -1 }, { orderDate: -1, _id: -1 }, { 'items.serviceId': 1 },
    ]));
    const soKeys = (await sut.subgraph.conn.collection('serviceOrders').indexes()).map((i) => i.key);
    expect(soKeys).toEqual(expect.arrayContaining([{ productOrderId: 1, orderDate: 1, _id: 1 }, { 'items.serviceId': 1 }, { sagaWakeAt: 1 }]));
  });
});

describe('storage migrations', () => {
  it('should drop the global idempotency key index of databases created before keys were per customer', async () => {
    const orders = sut.subgraph.conn.collection('productOrders');
    await orders.createIndex({ externalId: 1 }, { name: 'externalId_1' });
    await subgraph.prepare!(subgraph.createModels(sut.subgraph.conn));
    expect((await orders.indexes()).map((i) => i.name)).not.toContain('externalId_1');
    // Idempotent.
    await subgraph.prepare!(subgraph.createModels(sut.subgraph.conn));
  });

  it('should drop the product order history index of databases created before service order events', async () => {
    // That index is unique per (product order, version): a service order event naming the product
    // order would clash with the product order's own event of the same version.
    const events = sut.subgraph.conn.collection('events');
    await events.createIndex({ productOrderId: 1, version: 1 }, { name: 'productOrderId_1_version_1', unique: true, partialFilterExpression: { productOrderId: { $exists: true } } });
    await subgraph.prepare!(subgraph.createModels(sut.subgraph.conn));
    expect((await events.indexes()).map((i) => i.name)).not.toContain('productOrderId_1_version_1');
  });
});

describe('outbox', () => {
  it('should keep one event per order version and replay an order’s history through an index', async () => {
    const events = sut.subgraph.conn.collection('events');
    const indexes = await events.indexes();
    expect(indexes.find((i) => i.name === 'productOrderId_1_serviceOrderId_1_version_1')).toMatchObject({ key: { productOrderId: 1, serviceOrderId: 1, version: 1 }, unique: true });
    expect(indexes.find((i) => i.name === 'serviceOrderId_1_version_1')).toMatchObject({ key: { serviceOrderId: 1, version: 1 }, unique: true });
    const event = { productOrderId: 'PO-789-1', version: 1, eventId: 'e1', eventType: 'ProductOrderStateChangeEvent', state: 'COMPLETED', previousState: null, at: new Date(), correlationId: null };
    await events.insertOne({ _id: 'PO-789-1:1', ...event } as never);
    await expect(events.insertOne({ _id: 'PO-789-1:1-twin', ...event, eventId: 'e2' } as never)).rejects.toMatchObject({ code: 11000 });
    // A service order's event naming the same product order and version is another history.
    const soEvent = { ...event, eventId: 'e3', eventType: 'ServiceOrderStateChangeEvent', serviceOrderId: 'SO-789-1' };
    await events.insertOne({ _id: 'SO-789-1:1', ...soEvent } as never);
    await expect(events.insertOne({ _id: 'SO-789-1:1-twin', ...soEvent, eventId: 'e4' } as never)).rejects.toMatchObject({ code: 11000 });
    const plan = await events.find({ productOrderId: 'PO-789-1', serviceOrderId: { $exists: false }, version: { $gt: 0 } }).sort({ version: 1 }).explain();
    expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('productOrderId_1_serviceOrderId_1_version_1');
    const soPlan = await events.find({ serviceOrderId: 'SO-789-1', version: { $gt: 0 } }).sort({ version: 1 }).explain();
    expect(JSON.stringify(soPlan.queryPlanner.winningPlan)).toContain('serviceOrderId_1_version_1');
  });
});
