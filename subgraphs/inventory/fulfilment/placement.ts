import type { ClientSession } from 'mongoose';
import { badInputField, resourceUnavailable } from '../../../kit/errors.js';
import type { Models } from '../models.js';
import { demandFor, fits, freeOf, type Capacity } from './demand.js';
import type { NeededResource, ReservationRequest } from './input.js';

/** A resource that could serve the service: in service (UNLOCKED, ENABLE) and of the right kind. */
export interface Candidate {
  _id: string;
  capacity: Capacity | null;
}

/** The resource chosen for one resource specification, and what it takes from it. */
export interface Placement {
  resourceId: string;
  category: string;
  amount: number;
  unit: string | null;
  /** The capacity as read when chosen, which the capacity update is guarded on; null without capacity. */
  capacity: Capacity | null;
}

/** Why no candidate was chosen. */
export type Choice =
  | { kind: 'chosen'; candidate: Candidate; amount: number }
  | { kind: 'none' }
  | { kind: 'needsBandwidth'; unit: string };

/**
 * Pure: the candidate that takes the service. Only candidates whose capacity fits the demand
 * (the demand rule, demand.ts; no capacity = no demand, always fits; a unit the rule cannot size
 * = never) are considered; among them the ones the customer's services already use come first,
 * then the most free capacity (none counts as unlimited), then the smallest id, so equal
 * requests on equal data always land on the same resource. With a `spreadKey` (the reservation
 * id), a request the customer's own resources cannot take is spread by the key's hash over the
 * resources with at least half the best one's free capacity: concurrent orders of new customers
 * then land on different slices instead of all contending for the emptiest one, and a retry of
 * the same reservation still picks the same resource.
 */
export function chooseCandidate(candidates: readonly Candidate[], bandwidthMbps: number | null, customerResourceIds: ReadonlySet<string>, spreadKey?: string): Choice {
  const sized: { candidate: Candidate; amount: number; free: number; own: boolean }[] = [];
  for (const candidate of candidates) {
    const { capacity } = candidate;
    if (!capacity) {
      sized.push({ candidate, amount: 0, free: Infinity, own: customerResourceIds.has(candidate._id) });
      continue;
    }
    const demand = demandFor(capacity.unit, bandwidthMbps);
    if (!demand.ok) {
      if (demand.reason === 'NEEDS_BANDWIDTH') return { kind: 'needsBandwidth', unit: capacity.unit };
      continue;
    }
    if (fits(capacity, demand.amount)) sized.push({ candidate, amount: demand.amount, free: freeOf(capacity), own: customerResourceIds.has(candidate._id) });
  }
  sized.sort((a, b) => Number(b.own) - Number(a.own) || b.free - a.free || (a.candidate._id < b.candidate._id ? -1 : a.candidate._id > b.candidate._id ? 1 : 0));
  let best = sized[0];
  if (best && !best.own && spreadKey !== undefined && Number.isFinite(best.free)) {
    const comparable = sized.filter((c) => c.free >= best!.free / 2);
    best = comparable[hashOf(spreadKey) % comparable.length];
  }
  return best ? { kind: 'chosen', candidate: best.candidate, amount: best.amount } : { kind: 'none' };
}

/** A stable, well-mixed 32-bit hash (FNV-1a) of the key. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Resources the customer's services (any state but TERMINATED: those gave theirs back) stand on. */
async function customerResourceIds(models: Models, session: ClientSession | null, customerId: string): Promise<Set<string>> {
  const services = await models.Service.find({ customerId, state: { $ne: 'TERMINATED' } }, { supportingResourceIds: 1 }).session(session).lean();
  return new Set(services.flatMap((s) => s.supportingResourceIds));
}

/** Resources of the specification's category built from it, or from no recorded specification (the seed records none). */
const ofSpecification = (spec: NeededResource) => ({
  category: spec.category,
  $or: [{ resourceSpecification: null }, { 'resourceSpecification.id': spec.id }],
});

const describeBandwidth = (mbps: number | null) => (mbps === null ? 'the service' : `${mbps >= 1000 ? `${mbps / 1000}Gbps` : `${mbps}Mbps`}`);

async function placeOne(models: Models, session: ClientSession | null, request: ReservationRequest, spec: NeededResource, taken: readonly string[], own: ReadonlySet<string>): Promise<Placement> {
  const candidates = await models.Resource.find(
    { ...ofSpecification(spec), administrativeState: 'UNLOCKED', operationalState: 'ENABLE', _id: { $nin: taken } },
    { capacity: 1 },
  ).session(session).lean<Candidate[]>();
  const choice = chooseCandidate(candidates, request.bandwidthMbps, own, request.reservationId);
  switch (choice.kind) {
    case 'chosen': {
      const { capacity } = choice.candidate;
      return { resourceId: choice.candidate._id, category: spec.category, amount: choice.amount, unit: capacity?.unit ?? null, capacity };
    }
    case 'needsBandwidth':
      throw badInputField('input.characteristics', `a bandwidth characteristic (e.g. 1Gbps) is needed to size ${spec.category} capacity in ${choice.unit}`);
    case 'none': {
      // Nothing of that kind at all is a request for equipment this network does not have: bad input, not a full network.
      if (!candidates.length && !(await models.Resource.exists(ofSpecification(spec)).session(session))) {
        throw badInputField(spec.path, `unknown resource specification '${spec.id}': the inventory holds no ${spec.category} built from it`);
      }
      const why = candidates.length ? 'every one in service is full' : 'none is in service (UNLOCKED and ENABLE)';
      throw resourceUnavailable(`no ${spec.category} resource has capacity for ${describeBandwidth(request.bandwidthMbps)}: ${why}`);
    }
  }
}

/**
 * Chooses one resource per requested resource specification (in request order, never the same
 * resource twice), through `session` when given so the choice is read in the transaction's
 * snapshot. Throws RESOURCE_UNAVAILABLE naming the category that has no room, BAD_USER_INPUT
 * for a specification the inventory does not know or a bandwidth that is needed but missing.
 * Writes nothing: the caller takes the capacity.
 */
export async function placeResources(models: Models, session: ClientSession | null, request: ReservationRequest): Promise<Placement[]> {
  const own = await customerResourceIds(models, session, request.customerId);
  const placements: Placement[] = [];
  for (const spec of request.resourceSpecifications) {
    placements.push(await placeOne(models, session, request, spec, placements.map((p) => p.resourceId), own));
  }
  return placements;
}
