/**
 * Catalog rules as pure functions over the catalog's own GraphQL shapes: what makes an offering
 * orderable, which price rates a rating group, whether a chosen configuration fits a product
 * specification. Nothing outside this subgraph imports them (subgraphs never import each other);
 * they are the logic behind catalog API fields, so the rules live in one place.
 */
import { unreachable } from '../../kit/errors.js';
import type { OfferingNode, PriceNode, SpecificationNode } from './resolvers/mappers.js';

/** A characteristic value an order chooses, e.g. `{ name: 'bandwidth', value: '1Gbps' }`. */
export interface CharacteristicValue {
  name: string;
  value: string;
}

/** Why a chosen configuration does not fit a specification. */
export type CharacteristicProblemKind = 'UNKNOWN' | 'DUPLICATE' | 'MISSING' | 'NOT_ALLOWED' | 'WRONG_TYPE';

/** One misfit of a configuration, naming the characteristic. */
export interface CharacteristicProblem {
  name: string;
  kind: CharacteristicProblemKind;
  message: string;
}

/** The configuration completed with defaults, and whatever does not fit (empty when valid). */
export interface CharacteristicCheck {
  characteristics: CharacteristicValue[];
  problems: CharacteristicProblem[];
}

type CharacteristicSpec = SpecificationNode['characteristics'][number];

/** Per the SDL, only `LAUNCHED` offerings can be ordered, and only those sellable on their own. */
export function isOrderable(offering: Pick<OfferingNode, 'lifecycleStatus' | 'isSellable'>): boolean {
  return offering.lifecycleStatus === 'LAUNCHED' && offering.isSellable;
}

/** The `USAGE` price that rates usage of `ratingGroup` under this offering; null when none does. */
export function usagePriceFor(offering: Pick<OfferingNode, 'prices'>, ratingGroup: string): PriceNode | null {
  return offering.prices.find((p) => p.priceType === 'USAGE' && p.ratingGroup === ratingGroup) ?? null;
}

/** The rating groups the offering has usage prices for, in price order. */
export function ratingGroupsOf(offering: Pick<OfferingNode, 'prices'>): string[] {
  return offering.prices.flatMap((p) => (p.priceType === 'USAGE' && p.ratingGroup ? [p.ratingGroup] : []));
}

/** Whether `value` is a well-formed value of the characteristic's type (values travel as strings). */
export function fitsValueType(valueType: CharacteristicSpec['valueType'], value: string): boolean {
  switch (valueType) {
    case 'STRING':
      return true;
    case 'INTEGER':
      return /^-?\d+$/.test(value);
    case 'NUMBER':
      return value.trim() !== '' && Number.isFinite(Number(value));
    case 'BOOLEAN':
      return value === 'true' || value === 'false';
    case 'DATE_TIME':
      return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
    default:
      return unreachable(valueType);
  }
}

function checkValue(spec: CharacteristicSpec, value: string): CharacteristicProblem | null {
  if (!fitsValueType(spec.valueType, value)) {
    return { name: spec.name, kind: 'WRONG_TYPE', message: `${spec.name}: '${value}' is not a ${spec.valueType} value` };
  }
  if (spec.allowedValues.length > 0 && !spec.allowedValues.includes(value)) {
    return { name: spec.name, kind: 'NOT_ALLOWED', message: `${spec.name}: '${value}' is not one of ${spec.allowedValues.join(', ')}` };
  }
  return null;
}

/**
 * Checks an order's chosen characteristics against a product specification and completes them
 * with defaults, in the specification's order. Unknown names, repeats, missing mandatory values
 * (without a default), values of the wrong type or outside the allowed values are problems.
 */
export function checkCharacteristics(spec: Pick<SpecificationNode, 'characteristics'>, chosen: readonly CharacteristicValue[]): CharacteristicCheck {
  const problems: CharacteristicProblem[] = [];
  const specsByName = new Map(spec.characteristics.map((c) => [c.name, c]));
  const values = new Map<string, string>();
  for (const { name, value } of chosen) {
    const charSpec = specsByName.get(name);
    if (!charSpec) problems.push({ name, kind: 'UNKNOWN', message: `${name}: not a characteristic of this product` });
    else if (values.has(name)) problems.push({ name, kind: 'DUPLICATE', message: `${name}: set more than once` });
    else {
      values.set(name, value);
      const problem = checkValue(charSpec, value);
      if (problem) problems.push(problem);
    }
  }
  const characteristics: CharacteristicValue[] = [];
  for (const c of spec.characteristics) {
    const value = values.get(c.name) ?? c.defaultValue;
    if (value != null) characteristics.push({ name: c.name, value });
    else if (c.mandatory) problems.push({ name: c.name, kind: 'MISSING', message: `${c.name}: mandatory and has no default` });
  }
  return { characteristics, problems };
}
