import { expect } from 'vitest';
import { databaseName } from '../../../kit/db.js';
import type { GraphQLResult, SubgraphUnderTest } from '../../../kit/testing.js';
import type { ReserveServiceResourcesInput } from '../fulfilment/input.js';
import { createModels, type Models } from '../models.js';

/** Helpers of the fulfilment tests: inputs, operations and direct looks at the inventory database. */

/** The resource specifications of the seed catalog's offerings (seed/catalog.ts). */
export const SPEC = {
  gnb: { id: 'RS-GNB', name: 'gNodeB (5G NR base station)', category: 'GNB' },
  slice: { id: 'RS-NETWORK-SLICE', name: '5G network slice', category: 'NETWORK_SLICE' },
  ont: { id: 'RS-ONT', name: 'Optical network terminal', category: 'ONT' },
  pon: { id: 'RS-PON-PORT', name: 'XGS-PON port', category: 'PON_PORT' },
  olt: { id: 'RS-OLT', name: 'Optical line terminal', category: 'OLT' },
} as const;

/** The seed example's reservation: a new 5G_PREMIUM at 1Gbps for CUST-789, as the saga would ask for it. */
export function premium5g(reservationId: string, more: Partial<ReserveServiceResourcesInput> = {}): ReserveServiceResourcesInput {
  const [serviceOrderId, serviceOrderItemId] = reservationId.split('/');
  return {
    reservationId,
    customerId: 'CUST-789',
    productOfferingId: '5G_PREMIUM',
    productOrderId: `PO-${serviceOrderId}`,
    serviceOrderId,
    serviceOrderItemId: serviceOrderItemId ?? '1',
    serviceSpecification: { id: 'SS-5G-DATA', name: '5G Data Service' },
    characteristics: [{ name: 'bandwidth', value: '1Gbps' }],
    resourceSpecifications: [SPEC.gnb, SPEC.slice],
    ...more,
  };
}

const RESERVATION = `
  id state serviceId activatedAt
  service { id name state category activatedAt startDate endDate isServiceEnabled customer { id } productOffering { id }
            serviceSpecification { id name } characteristics { name value } supportingResources { id } }
  resources { amount unit resource { id category capacity { used total unit } } }`;

/** A reservation that was made, as the tests select it. */
export interface Reservation {
  id: string;
  state: 'RESERVED' | 'ACTIVE' | 'RELEASED';
  serviceId: string;
  activatedAt: string | null;
  service: {
    id: string; name: string; state: string; category: string; activatedAt: string | null; startDate: string | null; endDate: string | null; isServiceEnabled: boolean;
    customer: { id: string } | null; productOffering: { id: string } | null; serviceSpecification: { id: string; name: string };
    characteristics: { name: string; value: string }[]; supportingResources: { id: string }[];
  };
  resources: { amount: number; unit: string | null; resource: { id: string; category: string; capacity: { used: number; total: number; unit: string } | null } }[];
}

/** A reservation released before it was made (a tombstone), as the tests select it: nothing but its id and state. */
export interface Tombstone {
  id: string;
  state: 'RELEASED';
  serviceId: null;
  activatedAt: null;
  service: null;
  resources: [];
}

/** What release and the reservation query answer: a made reservation or a tombstone. */
export type AnyReservation = Reservation | Tombstone;

export const reserve = (sut: SubgraphUnderTest, input: ReserveServiceResourcesInput) =>
  sut.query<{ reserveServiceResources: Reservation }>(`mutation ($input: ReserveServiceResourcesInput!) { reserveServiceResources(input: $input) { ${RESERVATION} } }`, { input });

export const activate = (sut: SubgraphUnderTest, reservationId: string) =>
  sut.query<{ activateReservedService: Reservation }>(`mutation ($id: ID!) { activateReservedService(reservationId: $id) { ${RESERVATION} } }`, { id: reservationId });

export const release = (sut: SubgraphUnderTest, reservationId: string, reason?: string) =>
  sut.query<{ releaseServiceReservation: AnyReservation }>(`mutation ($id: ID!, $reason: String) { releaseServiceReservation(reservationId: $id, reason: $reason) { ${RESERVATION} } }`, { id: reservationId, reason });

export const reservation = (sut: SubgraphUnderTest, id: string) =>
  sut.query<{ serviceReservation: AnyReservation | null }>(`query ($id: ID!) { serviceReservation(id: $id) { ${RESERVATION} } }`, { id });

/** `serviceFeasibility` as the tests select it. */
export interface Feasibility {
  feasible: boolean;
  reason: string | null;
  resources: { amount: number; unit: string | null; resource: { id: string } }[];
}

export const feasibility = (sut: SubgraphUnderTest, input: ReserveServiceResourcesInput) =>
  sut.query<{ serviceFeasibility: Feasibility }>(
    `query ($input: ReserveServiceResourcesInput!) { serviceFeasibility(input: $input) { feasible reason resources { amount unit resource { id } } } }`,
    { input },
  );

/** The data of an operation that must succeed. */
export function dataOf<T>(res: GraphQLResult<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data as T;
}

/** The code of an operation that must fail, after checking it failed with exactly one error. */
export function errorOf(res: GraphQLResult<unknown>): { code: unknown; message: string; extensions: Record<string, unknown> } {
  expect(res.errors?.length, JSON.stringify(res)).toBe(1);
  const [error] = res.errors!;
  return { code: error.extensions?.code, message: error.message, extensions: error.extensions ?? {} };
}

/** The inventory models on a connection of their own to the subgraph's database: to arrange data and inspect what was written. */
export function inventoryModels(sut: SubgraphUnderTest): Models {
  return createModels(sut.subgraph.conn.useDb(databaseName('inventory'), { useCache: false }));
}

/** `capacity.used` of each resource (of these ids, else of all), by id. */
export async function usedOf(models: Models, ids?: readonly string[]): Promise<Record<string, number>> {
  const docs = await models.Resource.find(ids ? { _id: { $in: ids } } : {}, { capacity: 1 }).lean();
  return Object.fromEntries(docs.map((d) => [d._id, d.capacity?.used ?? 0]));
}

/** How many documents fulfilment stored: a request refused as bad input must leave every count as it was. */
export async function counts(models: Models): Promise<{ services: number; reservations: number; events: number }> {
  const [services, reservations, events] = await Promise.all([models.Service.countDocuments(), models.Reservation.countDocuments(), models.InventoryEvent.countDocuments()]);
  return { services, reservations, events };
}
