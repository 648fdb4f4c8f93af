import { createHash } from 'node:crypto';
import { badInputField, badUserInput } from '../../../kit/errors.js';
import type { ResourceDoc } from '../models.js';
import { parseBandwidth } from './demand.js';

/** A resource category (the GraphQL spelling; GraphQL refuses any other value). */
export type ResourceCategory = ResourceDoc['category'];

/** `ReserveServiceResourcesInput` as GraphQL hands it over. */
export interface ReserveServiceResourcesInput {
  reservationId: string;
  customerId: string;
  productOfferingId: string;
  productOrderId?: string | null;
  serviceOrderId: string;
  serviceOrderItemId: string;
  serviceSpecification: { id: string; name: string };
  characteristics: { name: string; value: string }[];
  resourceSpecifications: { id: string; name: string; category: ResourceCategory }[];
}

/** A resource specification the service needs, with its place in the input (for error paths). */
export interface NeededResource {
  id: string;
  name: string;
  category: ResourceCategory;
  /** `input.resourceSpecifications[i]`. */
  path: string;
}

/** A reservation request that passed the checks needing no database. */
export interface ReservationRequest {
  reservationId: string;
  customerId: string;
  productOfferingId: string;
  productOrderId: string | null;
  serviceOrderId: string;
  serviceOrderItemId: string;
  serviceSpecification: { id: string; name: string };
  characteristics: { name: string; value: string }[];
  /** The `bandwidth` characteristic in Mbit/s; null when the service names none. */
  bandwidthMbps: number | null;
  resourceSpecifications: NeededResource[];
  /** Fingerprint of what is asked, to tell a retry from a reused reservationId. */
  hash: string;
}

const MAX_ID_LENGTH = 256;
const blank = (s: string) => s.trim() === '';

function requiredId(value: string, field: string): string {
  if (blank(value)) throw badInputField(field, 'must not be blank');
  if (value.length > MAX_ID_LENGTH) throw badInputField(field, `must be at most ${MAX_ID_LENGTH} characters`);
  return value;
}

/** A reservation id argument (`activateReservedService(reservationId:)` …): not blank, bounded. */
export function checkReservationId(reservationId: string, argument = 'reservationId'): string {
  if (blank(reservationId)) throw badUserInput(argument, 'must not be blank');
  if (reservationId.length > MAX_ID_LENGTH) throw badUserInput(argument, `must be at most ${MAX_ID_LENGTH} characters`);
  return reservationId;
}

function checkCharacteristics(characteristics: ReserveServiceResourcesInput['characteristics']): number | null {
  const seen = new Set<string>();
  let bandwidthMbps: number | null = null;
  characteristics.forEach((c, j) => {
    const path = `input.characteristics[${j}]`;
    if (blank(c.name)) throw badInputField(`${path}.name`, 'must not be blank');
    if (seen.has(c.name)) throw badInputField(`${path}.name`, `'${c.name}' is given more than once`);
    seen.add(c.name);
    if (c.name !== 'bandwidth') return;
    bandwidthMbps = parseBandwidth(c.value);
    if (bandwidthMbps === null) throw badInputField(`${path}.value`, `bandwidth '${c.value}' is not a positive rate such as 100Mbps or 1Gbps`);
  });
  return bandwidthMbps;
}

/**
 * The checks that need no database: blank or overlong ids, blank names, a characteristic given
 * twice, a bandwidth that is not a rate. Each failure is a BAD_USER_INPUT naming the input field.
 * (An unknown `category` never gets here: GraphQL refuses a value outside `ResourceCategory`.)
 */
export function checkReservationInput(input: ReserveServiceResourcesInput): ReservationRequest {
  const request = {
    reservationId: requiredId(input.reservationId, 'input.reservationId'),
    customerId: requiredId(input.customerId, 'input.customerId'),
    productOfferingId: requiredId(input.productOfferingId, 'input.productOfferingId'),
    productOrderId: input.productOrderId == null ? null : requiredId(input.productOrderId, 'input.productOrderId'),
    serviceOrderId: requiredId(input.serviceOrderId, 'input.serviceOrderId'),
    serviceOrderItemId: requiredId(input.serviceOrderItemId, 'input.serviceOrderItemId'),
    serviceSpecification: {
      id: requiredId(input.serviceSpecification.id, 'input.serviceSpecification.id'),
      name: requiredId(input.serviceSpecification.name, 'input.serviceSpecification.name'),
    },
    characteristics: input.characteristics.map((c) => ({ name: c.name, value: c.value })),
    bandwidthMbps: checkCharacteristics(input.characteristics),
    resourceSpecifications: input.resourceSpecifications.map((spec, i) => {
      const path = `input.resourceSpecifications[${i}]`;
      return { id: requiredId(spec.id, `${path}.id`), name: requiredId(spec.name, `${path}.name`), category: spec.category, path };
    }),
  };
  return { ...request, hash: requestHash(request) };
}

/** Characteristics compare as a set; resource specifications in order (they order the service's resources). */
function requestHash(r: Omit<ReservationRequest, 'hash'>): string {
  const canonical = [
    r.customerId, r.productOfferingId, r.productOrderId, r.serviceOrderId, r.serviceOrderItemId, r.serviceSpecification.id,
    [...r.characteristics].sort((a, b) => (a.name < b.name ? -1 : 1)).map((c) => [c.name, c.value]),
    r.resourceSpecifications.map((s) => [s.id, s.category]),
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
