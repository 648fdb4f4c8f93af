import type mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../kit/db.js';
import { seedSubgraph, startTestMongo } from '../../../kit/testing.js';
import { settleItems } from '../activation/settle.js';
import { subgraph } from '../index.js';
import type { Models, ServiceOrderDoc } from '../models.js';
import { applyServiceOrderCreation, applyStateChange, recordServiceOrderChange, runOrderTransaction } from '../outbox.js';
import { OrderWriteBatch } from '../write-batch.js';
import { orderWorld } from './fixture.js';

/**
 * How an order transaction writes: its reads first, then every order change and outbox event in
 * ONE bulkWrite, then the commit — so an event's time is at most one write and a commit away
 * from the moment its subscribers can see it. Real database, the order subgraph's own models.
 */
let mongo: Awaited<ReturnType<typeof startTestMongo>>;
let conn: mongoose.Connection;
let models: Models;

beforeAll(async () => {
  mongo = await startTestMongo();
  await seedSubgraph(subgraph, mongo.uri, orderWorld());
  conn = await connectDatabase(mongo.uri, subgraph.name);
  models = subgraph.createModels(conn);
  // Index builds done, so only the tests' own commands are seen.
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
});
afterAll(async () => {
  await conn?.close();
  await mongo?.stop();
});

/** The names of the commands `fn` sends (handshakes and monitoring aside). */
async function commandsOf<T>(fn: () => Promise<T>): Promise<{ result: T; commands: string[] }> {
  const commands: string[] = [];
  const listener = (e: { commandName: string }) => commands.push(e.commandName);
  conn.getClient().on('commandStarted', listener);
  try {
    return { result: await fn(), commands };
  } finally {
    conn.getClient().off('commandStarted', listener);
  }
}

const eventsOf = (field: 'productOrderId' | 'serviceOrderId', id: string) =>
  models.OrderEvent.find({ [field]: id }, { _id: 0, version: 1, state: 1, eventType: 1 }).sort({ version: 1 }).lean();

describe('an order transaction’s writes', () => {
  it('should settle an item — both orders and both events — with one bulkWrite between the reads and the commit', async () => {
    const { result, commands } = await commandsOf(() => runOrderTransaction(models, (session) =>
      settleItems(models, session, 'SO-1004-1', [{ itemId: '1', state: 'COMPLETED', serviceId: 'svc-1004-1' }])));

    expect(result).toEqual({ serviceOrder: 'COMPLETED', productOrder: 'COMPLETED' });
    expect(commands).toEqual(['find', 'find', 'bulkWrite', 'commitTransaction']);
    expect(await models.ServiceOrder.findById('SO-1004-1').lean()).toMatchObject({ state: 'COMPLETED', version: 1, items: [{ state: 'COMPLETED', serviceId: 'svc-1004-1' }] });
    expect(await models.ProductOrder.findById('PO-1004-1').lean()).toMatchObject({ state: 'COMPLETED', version: 1, items: [{ state: 'COMPLETED' }] });
    expect(await eventsOf('serviceOrderId', 'SO-1004-1')).toEqual([{ version: 1, state: 'COMPLETED', eventType: 'ServiceOrderStateChangeEvent' }]);
    expect(await eventsOf('productOrderId', 'PO-1004-1')).toEqual([
      { version: 1, state: 'COMPLETED', eventType: 'ProductOrderStateChangeEvent' },
      // The service order's event carries its product order too.
      { version: 1, state: 'COMPLETED', eventType: 'ServiceOrderStateChangeEvent' },
    ].sort((a, b) => a.eventType.localeCompare(b.eventType)));
  });

  it('should refuse a change whose version guard lost (CONFLICT) and keep none of the batch', async () => {
    const before = await models.ServiceOrder.findById('SO-1008-1').lean<ServiceOrderDoc>();
    await expect(runOrderTransaction(models, async (session) => {
      const batch = new OrderWriteBatch(models, session);
      batch.update(models.ServiceOrder, { _id: 'SO-1008-1' }, { $set: { 'items.0.state': 'COMPLETED' } });
      // Read long ago: the stored order is not at version 7.
      await applyStateChange(batch, 'PO-1008-1', 'COMPLETED', { current: { state: 'IN_PROGRESS', version: 7, externalId: null, customerId: 'CUST-1008' } });
      await batch.flush();
    })).rejects.toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringContaining("product order 'PO-1008-1' changed concurrently") });

    expect((await models.ServiceOrder.findById('SO-1008-1').lean<ServiceOrderDoc>())!.items[0].state).toBe(before!.items[0].state);
    expect(await models.ProductOrder.findById('PO-1008-1').lean()).toMatchObject({ state: 'IN_PROGRESS' });
    expect(await eventsOf('productOrderId', 'PO-1008-1')).toEqual([]);
  });

  it('should report a duplicate key as the database’s E11000', async () => {
    const existing = await models.ServiceOrder.findById('SO-1012-1').lean<ServiceOrderDoc>();
    await expect(runOrderTransaction(models, async (session) => {
      const batch = new OrderWriteBatch(models, session);
      applyServiceOrderCreation(batch, { ...existing!, version: 1 });
      await batch.flush();
    })).rejects.toMatchObject({ code: 11000 });
    expect(await eventsOf('serviceOrderId', 'SO-1012-1')).toEqual([]);
  });

  it('should retry concurrent writers on one order (write conflicts), each change once with its own version', async () => {
    const alerts = [1, 2, 3, 4, 5].map((n) => ({ id: `SO-1016-1/${n}`, name: `alert ${n}`, jeopardyType: 'deadline', message: `alert ${n}`, alertDate: new Date(), itemId: '1' }));
    await Promise.all(alerts.map((jeopardyAlert) => runOrderTransaction(models, (session) =>
      recordServiceOrderChange(models, session, 'SO-1016-1', { jeopardyAlert }))));

    const order = await models.ServiceOrder.findById('SO-1016-1').lean<ServiceOrderDoc>();
    expect(order!.jeopardyAlerts.map((a) => a.id).sort()).toEqual(alerts.map((a) => a.id));
    expect(order!.version).toBe(5);
    expect((await eventsOf('serviceOrderId', 'SO-1016-1')).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
  });
});
