import { badInputField } from '../../../kit/errors.js';
import type { CharacteristicInput, Submission } from './input.js';

/** What the order subgraph needs to know about a customer (from the customer subgraph's API). */
export interface RemoteCustomer {
  id: string;
  status: 'PROSPECT' | 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
}

interface CharacteristicSpec {
  name: string;
  valueType: 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'DATE_TIME';
  allowedValues: string[];
  mandatory: boolean;
  defaultValue: string | null;
}

/** What the order subgraph needs to know about an offering (from the catalog subgraph's API). */
export interface RemoteOffering {
  id: string;
  isSellable: boolean;
  lifecycleStatus: string;
  productSpecification: { characteristics: CharacteristicSpec[] } | null;
}

/** The customer and offerings a submission names, as their owners' APIs describe them (null = unknown). */
export interface References {
  customer: RemoteCustomer | null;
  offerings: Map<string, RemoteOffering | null>;
}

const VALUE_TYPES: Record<CharacteristicSpec['valueType'], (v: string) => boolean> = {
  STRING: () => true,
  INTEGER: (v) => /^-?\d+$/.test(v),
  NUMBER: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  BOOLEAN: (v) => v === 'true' || v === 'false',
  DATE_TIME: (v) => !Number.isNaN(Date.parse(v)),
};

/**
 * Checks an item's characteristics against its offering's specification; returns them with the
 * default of every mandatory characteristic left out (OSS needs a value for it).
 */
function checkCharacteristics(offering: RemoteOffering, given: CharacteristicInput[], path: string): CharacteristicInput[] {
  const specs = offering.productSpecification?.characteristics ?? [];
  const byName = new Map(specs.map((c) => [c.name, c]));
  given.forEach((c, j) => {
    const spec = byName.get(c.name);
    if (!spec) {
      const known = specs.length ? ` (${specs.map((s) => s.name).join(', ')})` : '';
      throw badInputField(`${path}.characteristics[${j}].name`, `'${c.name}' is not a characteristic of ${offering.id}${known}`);
    }
    if (spec.allowedValues.length > 0 && !spec.allowedValues.includes(c.value)) {
      throw badInputField(`${path}.characteristics[${j}].value`, `'${c.value}' is not an allowed ${spec.name} (${spec.allowedValues.join(', ')})`);
    }
    if (!VALUE_TYPES[spec.valueType](c.value)) {
      throw badInputField(`${path}.characteristics[${j}].value`, `'${c.value}' is not a valid ${spec.valueType} for ${spec.name}`);
    }
  });
  const completed = [...given];
  for (const spec of specs) {
    if (!spec.mandatory || given.some((c) => c.name === spec.name)) continue;
    if (spec.defaultValue === null) throw badInputField(`${path}.characteristics`, `${spec.name} is mandatory for ${offering.id}`);
    completed.push({ name: spec.name, value: spec.defaultValue });
  }
  return completed;
}

/** The outcome of checking a submission against the customer and catalog. */
export interface Verdict {
  /** Each item's characteristics, mandatory defaults filled in. */
  characteristics: CharacteristicInput[][];
  /** Why business rules refuse the order (stored REJECTED with these as notes); empty = acknowledged. */
  refusals: string[];
}

/**
 * Malformed references (unknown customer or offering, a characteristic the specification does not
 * declare or a value it does not allow) throw BAD_USER_INPUT naming the field. Business refusals
 * (customer not ACTIVE, offering not sellable or not LAUNCHED) are returned: TMF622 records the
 * order as rejected, with the reason.
 */
export function checkReferences(s: Submission, refs: References): Verdict {
  if (!refs.customer) throw badInputField('input.customerId', `customer '${s.customerId}' does not exist`);
  const characteristics = s.items.map((item, i) => {
    const path = `input.items[${i}]`;
    const offering = refs.offerings.get(item.productOfferingId);
    if (!offering) throw badInputField(`${path}.productOfferingId`, `product offering '${item.productOfferingId}' does not exist`);
    return checkCharacteristics(offering, item.characteristics, path);
  });
  const refusals: string[] = [];
  if (refs.customer.status !== 'ACTIVE') refusals.push(`customer ${refs.customer.id} is ${refs.customer.status}: only ACTIVE customers can order`);
  s.items.forEach((item, i) => {
    const offering = refs.offerings.get(item.productOfferingId)!;
    const problems = [!offering.isSellable && 'not sellable', offering.lifecycleStatus !== 'LAUNCHED' && offering.lifecycleStatus].filter(Boolean);
    if (problems.length) refusals.push(`item ${i + 1}: product offering ${offering.id} is ${problems.join(' and ')}: only sellable, LAUNCHED offerings can be ordered`);
  });
  return { characteristics, refusals };
}
