import { describe, expect, it } from 'vitest';
import { checkCharacteristics, fitsValueType, isOrderable, ratingGroupsOf, usagePriceFor } from '../rules.js';
import type { OfferingNode, SpecificationNode } from '../resolvers/mappers.js';

const spec: Pick<SpecificationNode, 'characteristics'> = {
  characteristics: [
    { name: 'bandwidth', description: null, valueType: 'STRING', allowedValues: ['100Mbps', '1Gbps'], defaultValue: null, mandatory: true },
    { name: 'staticIp', description: null, valueType: 'BOOLEAN', allowedValues: [], defaultValue: 'false', mandatory: false },
    { name: 'quota', description: null, valueType: 'INTEGER', allowedValues: [], defaultValue: null, mandatory: false },
  ],
};

const price = (priceType: OfferingNode['prices'][number]['priceType'], ratingGroup: string | null) => ({
  id: `P-${priceType}-${ratingGroup}`, name: 'p', description: null, priceType, recurringChargePeriod: null,
  price: { amount: 1, currency: 'EUR' }, unitOfMeasure: ratingGroup ? 'GB' : null, ratingGroup,
});

describe('orderability', () => {
  it('should allow ordering only launched offerings that are sellable on their own', () => {
    expect(isOrderable({ lifecycleStatus: 'LAUNCHED', isSellable: true })).toBe(true);
    expect(isOrderable({ lifecycleStatus: 'LAUNCHED', isSellable: false })).toBe(false);
    expect(isOrderable({ lifecycleStatus: 'RETIRED', isSellable: true })).toBe(false);
    expect(isOrderable({ lifecycleStatus: 'ACTIVE', isSellable: true })).toBe(false);
  });
});

describe('usage prices by rating group', () => {
  const offering = { prices: [price('RECURRING', null), price('USAGE', 'DATA_5G_PREMIUM'), price('USAGE', 'ROAMING_EU')] };

  it('should find the usage price of a rating group', () => {
    expect(usagePriceFor(offering, 'ROAMING_EU')?.id).toBe('P-USAGE-ROAMING_EU');
    expect(usagePriceFor(offering, 'VOICE')).toBeNull();
  });

  it('should list the rating groups in price order', () => {
    expect(ratingGroupsOf(offering)).toEqual(['DATA_5G_PREMIUM', 'ROAMING_EU']);
  });
});

describe('characteristic checks', () => {
  it('should accept a fitting configuration and complete it with defaults in specification order', () => {
    expect(checkCharacteristics(spec, [{ name: 'quota', value: '50' }, { name: 'bandwidth', value: '1Gbps' }])).toEqual({
      characteristics: [{ name: 'bandwidth', value: '1Gbps' }, { name: 'staticIp', value: 'false' }, { name: 'quota', value: '50' }],
      problems: [],
    });
  });

  it('should name every misfit: unknown, repeated, not allowed, wrong type, missing', () => {
    const { problems } = checkCharacteristics(spec, [
      { name: 'colour', value: 'red' },
      { name: 'staticIp', value: 'yes' },
      { name: 'staticIp', value: 'true' },
      { name: 'quota', value: '1.5' },
    ]);
    expect(problems.map((p) => [p.name, p.kind])).toEqual([
      ['colour', 'UNKNOWN'], ['staticIp', 'WRONG_TYPE'], ['staticIp', 'DUPLICATE'], ['quota', 'WRONG_TYPE'], ['bandwidth', 'MISSING'],
    ]);
    expect(checkCharacteristics(spec, [{ name: 'bandwidth', value: '10Gbps' }]).problems).toEqual([
      { name: 'bandwidth', kind: 'NOT_ALLOWED', message: "bandwidth: '10Gbps' is not one of 100Mbps, 1Gbps" },
    ]);
  });

  it('should check values against every value type', () => {
    expect(fitsValueType('INTEGER', '-12')).toBe(true);
    expect(fitsValueType('INTEGER', '12.0')).toBe(false);
    expect(fitsValueType('NUMBER', '12.5')).toBe(true);
    expect(fitsValueType('NUMBER', ' ')).toBe(false);
    expect(fitsValueType('BOOLEAN', 'TRUE')).toBe(false);
    expect(fitsValueType('DATE_TIME', '2025-01-31T09:30:00.000Z')).toBe(true);
    expect(fitsValueType('DATE_TIME', '2025-01-31')).toBe(false);
    expect(fitsValueType('STRING', '')).toBe(true);
  });
});
