import { createHash } from 'node:crypto';
import { badInputField } from '../../../kit/errors.js';
import type { ProductOrderItemDoc } from '../models.js';

/** `CharacteristicInput` as GraphQL hands it over. */
export interface CharacteristicInput {
  name: string;
  value: string;
}

/** `ProductOrderItemInput` as GraphQL hands it over (defaults applied, explicit nulls possible). */
export interface ProductOrderItemInput {
  productOfferingId: string;
  action: ProductOrderItemDoc['action'];
  quantity?: number | null;
  characteristics?: CharacteristicInput[] | null;
}

/** `SubmitProductOrderInput` as GraphQL hands it over. */
export interface SubmitProductOrderInput {
  customerId: string;
  idempotencyKey: string;
  items: ProductOrderItemInput[];
  priority?: number | null;
  requestedStartDate?: Date | null;
  paymentMethod?: string | null;
}

/** One item of a submission that passed the checks needing no other subgraph. */
export interface SubmittedItem {
  productOfferingId: string;
  action: ProductOrderItemDoc['action'];
  quantity: number;
  characteristics: CharacteristicInput[];
}

/** A submission that passed the checks needing no other subgraph, defaults applied. */
export interface Submission {
  customerId: string;
  idempotencyKey: string;
  items: SubmittedItem[];
  priority: number | null;
  requestedStartDate: Date | null;
  paymentMethod: string | null;
}

const MAX_KEY_LENGTH = 256;
const blank = (s: string) => s.trim() === '';

function checkItem(item: ProductOrderItemInput, path: string): SubmittedItem {
  if (blank(item.productOfferingId)) throw badInputField(`${path}.productOfferingId`, 'must not be blank');
  // MODIFY/DELETE/NO_CHANGE act on a product the customer already has; a new order creates one.
  if (item.action !== 'ADD') throw badInputField(`${path}.action`, `a new order can only ADD a product, got ${item.action}`);
  const quantity = item.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1) throw badInputField(`${path}.quantity`, `must be at least 1, got ${quantity}`);
  const characteristics = item.characteristics ?? [];
  const seen = new Set<string>();
  characteristics.forEach((c, j) => {
    if (blank(c.name)) throw badInputField(`${path}.characteristics[${j}].name`, 'must not be blank');
    if (seen.has(c.name)) throw badInputField(`${path}.characteristics[${j}].name`, `'${c.name}' is given more than once`);
    seen.add(c.name);
  });
  return { productOfferingId: item.productOfferingId, action: item.action, quantity, characteristics: characteristics.map((c) => ({ name: c.name, value: c.value })) };
}

/**
 * The checks that need no other subgraph: blank ids and key, no items, an action other than
 * ADD, quantity < 1, a characteristic named twice, priority out of range. Each failure is a
 * BAD_USER_INPUT naming the input field.
 */
export function checkInput(input: SubmitProductOrderInput): Submission {
  if (blank(input.customerId)) throw badInputField('input.customerId', 'must not be blank');
  if (blank(input.idempotencyKey)) throw badInputField('input.idempotencyKey', 'must not be blank');
  if (input.idempotencyKey.length > MAX_KEY_LENGTH) throw badInputField('input.idempotencyKey', `must be at most ${MAX_KEY_LENGTH} characters`);
  if (input.items.length === 0) throw badInputField('input.items', 'an order needs at least one item');
  const priority = input.priority ?? null;
  if (priority !== null && (priority < 0 || priority > 4)) throw badInputField('input.priority', `must be between 0 and 4, got ${priority}`);
  const paymentMethod = input.paymentMethod ?? null;
  if (paymentMethod !== null && blank(paymentMethod)) throw badInputField('input.paymentMethod', 'must not be blank when given');
  return {
    customerId: input.customerId,
    idempotencyKey: input.idempotencyKey,
    items: input.items.map((item, i) => checkItem(item, `input.items[${i}]`)),
    priority,
    requestedStartDate: input.requestedStartDate ?? null,
    paymentMethod,
  };
}

/**
 * Fingerprint of what a submission asks for, to tell a retry (same key, same payload) from a
 * reused key (same key, another payload). Characteristics are compared as a set; items in order.
 */
export function submissionHash(s: Submission): string {
  const canonical = [
    s.customerId,
    s.items.map((i) => [i.productOfferingId, i.action, i.quantity, [...i.characteristics].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c.value])]),
    s.priority,
    s.requestedStartDate?.toISOString() ?? null,
    s.paymentMethod,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
