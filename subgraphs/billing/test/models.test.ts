import { beforeAll, describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { prepareModels, type ChargeDoc, type Models } from '../models.js';
import { ACTIVATED_AT, billingWorld } from './fixture.js';

/**
 * Storage guarantees the coming billing flows (charge start on activation, usage rating) rely
 * on, checked against the real database.
 */
const world = billingWorld();
const sut = useSubgraphUnderTest(subgraph, world);
let models: Models;

beforeAll(() => {
  // createModels returns the models already bound to this connection (same schemas).
  models = subgraph.createModels(sut.subgraph.conn);
});

const charge = (id: string, fields: Pick<ChargeDoc, 'chargeType' | 'priceId'>) => ({
  _id: id, billingAccountId: 'BA-789', description: 'test', amount: 1, currency: 'EUR', startDate: ACTIVATED_AT, productOfferingId: '5G_PREMIUM', serviceId: 'svc-5g-001', state: 'ACTIVE' as const, ...fields,
});

describe('charges', () => {
  it('should have linked seeded charges to the catalog price they apply', async () => {
    const seeded = await models.Charge.find({ serviceId: 'svc-5g-001' }).sort({ _id: 1 }).lean();
    expect(seeded.map((c) => c.priceId)).toEqual(['PRICE-5G-MONTHLY', 'PRICE-5G-ACTIVATION', 'PRICE-5G-DATA']);
  });

  it('should refuse to charge a service twice for the same recurring or one-time price', async () => {
    await expect(models.Charge.create(charge('CH-TWICE-1', { chargeType: 'RECURRING', priceId: 'PRICE-5G-MONTHLY' }))).rejects.toMatchObject({ code: 11000 });
    await expect(models.Charge.create(charge('CH-TWICE-2', { chargeType: 'ONE_TIME', priceId: 'PRICE-5G-ACTIVATION' }))).rejects.toMatchObject({ code: 11000 });
  });

  it('should let usage charges and manual charges without a price repeat', async () => {
    await models.Charge.create(charge('CH-USAGE-2', { chargeType: 'USAGE', priceId: 'PRICE-5G-DATA' }));
    await models.Charge.create(charge('CH-MANUAL-1', { chargeType: 'ONE_TIME', priceId: null }));
    await models.Charge.create(charge('CH-MANUAL-2', { chargeType: 'ONE_TIME', priceId: null }));
    expect(await models.Charge.countDocuments({ _id: { $in: ['CH-USAGE-2', 'CH-MANUAL-1', 'CH-MANUAL-2'] } })).toBe(3);
  });
});

describe('billing accounts and bills', () => {
  const account = { _id: 'BA-SECOND', customerId: 'CUST-789', name: 'second', state: 'ACTIVE' as const, currency: 'EUR', balance: 0 };

  it('should keep one account per customer', async () => {
    await expect(models.BillingAccount.create(account)).rejects.toMatchObject({ code: 11000 });
  });

  it('should keep bill numbers unique', async () => {
    const [bill] = await models.Bill.find({ _id: 'BILL-789-1' }).lean();
    await expect(models.Bill.create({ ...bill, _id: 'BILL-COPY' })).rejects.toMatchObject({ code: 11000 });
  });
});

describe('seed', () => {
  it('should be harmless to run twice', async () => {
    await subgraph.seed(models, world);
    expect(await models.BillingAccount.countDocuments()).toBe(world.billingAccounts.length);
    expect(await models.Bill.countDocuments()).toBe(world.billingAccounts.reduce((n, a) => n + a.bills.length, 0));
  });

  it('should fail loudly when the world gives a customer a second account', async () => {
    const [first] = world.billingAccounts;
    const second = { ...first, id: 'BA-789-B', charges: [], bills: [], payments: [] };
    await expect(subgraph.seed(models, { ...world, billingAccounts: [second] })).rejects.toMatchObject({ code: 11000 });
  });

  it('should drop the plain serviceId index of older databases before serving, idempotently', async () => {
    const charges = sut.subgraph.conn.collection('charges');
    await charges.createIndex({ serviceId: 1 });
    await prepareModels(models);
    await prepareModels(models);
    expect((await charges.indexes()).map((i) => i.name)).not.toContain('serviceId_1');
  });

  it('should declare an index for every field it filters, sorts or batch-loads by', async () => {
    const keys = async (collection: string) => (await sut.subgraph.conn.collection(collection).indexes()).map((i) => i.key);
    expect(await keys('billingAccounts')).toEqual(expect.arrayContaining([{ customerId: 1 }]));
    expect(await keys('charges')).toEqual(expect.arrayContaining([{ billingAccountId: 1, startDate: -1, _id: -1 }, { serviceId: 1, startDate: -1, _id: -1 }, { serviceId: 1, priceId: 1 }]));
    expect(await keys('bills')).toEqual(expect.arrayContaining([{ billingAccountId: 1, billDate: -1, _id: -1 }, { billNo: 1 }]));
    expect(await keys('payments')).toEqual(expect.arrayContaining([{ billingAccountId: 1, paymentDate: -1, _id: -1 }]));
  });
});
