import { describe, expect, it } from 'vitest';
import { useSubgraphUnderTest } from '../../../kit/test-suite.js';
import { subgraph } from '../index.js';
import { catalogWorld, seedOfferings } from './fixture.js';

const sut = useSubgraphUnderTest(subgraph, catalogWorld);

const OFFERING = /* GraphQL */ `
  query ($id: ID!) {
    productOffering(id: $id) {
      id name description isBundle isSellable lifecycleStatus
      category { id name }
      prices { id name description priceType recurringChargePeriod price { amount currency } unitOfMeasure ratingGroup }
      serviceLevelAgreement { id name }
      validFor { startDateTime endDateTime }
      bundledProductOfferings { id }
      productSpecification {
        id name description
        characteristics { name description valueType allowedValues defaultValue mandatory }
        serviceSpecifications { id name }
        resourceSpecifications { id name category }
      }
    }
  }`;

describe('productOffering(id)', () => {
  it('should return 5G_PREMIUM with its prices, usage rating group, SLA and category', async () => {
    const res = await sut.query(OFFERING, { id: '5G_PREMIUM' });
    expect(res.errors).toBeUndefined();
    const world = seedOfferings.find((o) => o.id === '5G_PREMIUM')!;
    expect(res.data?.productOffering).toMatchObject({
      id: '5G_PREMIUM',
      name: world.name,
      description: world.description,
      isBundle: false,
      isSellable: true,
      lifecycleStatus: world.lifecycleStatus,
      category: [{ id: 'mobile', name: 'Mobile' }],
      serviceLevelAgreement: { id: 'SLA-5G-PREMIUM', name: '5G Premium SLA' },
      validFor: null,
      bundledProductOfferings: [],
      prices: world.prices.map((p) => ({
        id: p.id, name: p.name, description: null, priceType: p.priceType, recurringChargePeriod: p.recurringChargePeriod ?? null,
        price: { amount: p.amount, currency: p.currency }, unitOfMeasure: p.unitOfMeasure ?? null, ratingGroup: p.ratingGroup ?? null,
      })),
    });
    const usage = (res.data?.productOffering as { prices: { priceType: string; ratingGroup: string | null; unitOfMeasure: string | null }[] }).prices.find((p) => p.priceType === 'USAGE');
    expect(usage).toMatchObject({ ratingGroup: 'DATA_5G_PREMIUM', unitOfMeasure: 'GB' });
  });

  it('should resolve the product specification with characteristics, allowed values and the specs OSS must build', async () => {
    const res = await sut.query(OFFERING, { id: '5G_PREMIUM' });
    const spec = seedOfferings.find((o) => o.id === '5G_PREMIUM')!.specification;
    expect(res.data?.productOffering).toMatchObject({
      productSpecification: {
        id: spec.id,
        name: spec.name,
        description: null,
        characteristics: spec.characteristics.map((c) => ({ name: c.name, description: null, valueType: c.valueType, allowedValues: c.allowedValues, defaultValue: c.defaultValue ?? null, mandatory: c.mandatory })),
        serviceSpecifications: spec.serviceSpecifications,
        resourceSpecifications: spec.resourceSpecifications,
      },
    });
    const bandwidth = (res.data?.productOffering as { productSpecification: { characteristics: { name: string; allowedValues: string[] }[] } }).productSpecification.characteristics.find((c) => c.name === 'bandwidth');
    expect(bandwidth?.allowedValues).toContain('1Gbps');
  });

  it('should return an offering without SLA or usage price with nulls and fewer prices', async () => {
    const res = await sut.query(OFFERING, { id: 'FIBRE_1G' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.productOffering).toMatchObject({ serviceLevelAgreement: null, category: [{ id: 'fixed', name: 'Fixed' }] });
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(OFFERING, { id: 'NO_SUCH_OFFER' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ productOffering: null });
  });

  it('should read an offering and its specification with two database commands', async () => {
    const res = await sut.query(OFFERING, { id: '5G_PREMIUM' });
    expect(res.extensions?.dbCommands).toBe(2);
  });
});

const SPECIFICATION = /* GraphQL */ `
  query ($id: ID!) {
    productSpecification(id: $id) {
      id name characteristics { name valueType allowedValues defaultValue mandatory }
      serviceSpecifications { id name } resourceSpecifications { id name category }
    }
  }`;

describe('productSpecification(id)', () => {
  it('should return a specification by id', async () => {
    const res = await sut.query(SPECIFICATION, { id: 'PS-FIBRE-1G' });
    const spec = seedOfferings.find((o) => o.id === 'FIBRE_1G')!.specification;
    expect(res.errors).toBeUndefined();
    expect(res.data?.productSpecification).toEqual({
      id: spec.id,
      name: spec.name,
      characteristics: spec.characteristics.map((c) => ({ name: c.name, valueType: c.valueType, allowedValues: c.allowedValues, defaultValue: c.defaultValue ?? null, mandatory: c.mandatory })),
      serviceSpecifications: spec.serviceSpecifications,
      resourceSpecifications: spec.resourceSpecifications,
    });
  });

  it('should store a specification shared by several offerings once and resolve it from each', async () => {
    const res = await sut.query('{ a: productOffering(id: "ZZ_TEST_00") { productSpecification { id } } b: productOffering(id: "ZZ_TEST_07") { productSpecification { id } } }');
    expect(res.data).toEqual({ a: { productSpecification: { id: 'PS-TEST-SHARED' } }, b: { productSpecification: { id: 'PS-TEST-SHARED' } } });
    const stored = await sut.subgraph.conn.model('ProductSpecification').countDocuments({ _id: 'PS-TEST-SHARED' });
    expect(stored).toBe(1);
  });

  it('should return null without errors for an unknown id', async () => {
    const res = await sut.query(SPECIFICATION, { id: 'PS-NOPE' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ productSpecification: null });
  });
});
