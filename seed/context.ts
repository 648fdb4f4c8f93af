/**
 * The generator's working state: the world being filled, indexes over it (Maps, so that building
 * 10,000+ customers stays linear) and per-kind id counters.
 */
import type { RegionName } from './names.js';
import { pad, type Rng } from './rng.js';
import type { Scale, World, WorldCustomer, WorldOffering, WorldResource, WorldService } from './world.js';

/** How big the operator is at each scale. */
export interface ScaleParams {
  customers: number;
  /** Share of customers living in each region; the array length is the number of regions. */
  regionWeights: number[];
  sitesPerRegion: number[];
  accessRoutersPerRegion: number[];
  enterpriseShare: number;
  /** Background alarms sprinkled on random resources, on top of the scripted ones. */
  randomAlarms: number;
  /** How many OLTs one feeder fibre carries before a new feeder is laid. */
  oltsPerFeeder: number;
}

export const SCALES: Record<Scale, ScaleParams> = {
  small: {
    customers: 200,
    regionWeights: [0.4, 0.25, 0.2, 0.15],
    sitesPerRegion: [4, 3, 3, 2],
    accessRoutersPerRegion: [2, 2, 1, 1],
    enterpriseShare: 0.15,
    randomAlarms: 8,
    oltsPerFeeder: 2,
  },
  // One metro region (Paris) holds ~82 % of the base, so its backhaul fibre has ≥ 10,000 customers
  // behind it: the landmark for impact and correlation benchmarks.
  large: {
    customers: 16_000,
    regionWeights: [0.82, 0.04, 0.03, 0.03, 0.02, 0.02, 0.02, 0.02],
    sitesPerRegion: [40, 8, 6, 6, 5, 5, 4, 4],
    accessRoutersPerRegion: [12, 3, 2, 2, 2, 2, 2, 2],
    enterpriseShare: 0.15,
    randomAlarms: 120,
    oltsPerFeeder: 16,
  },
};

/** A metro region's network, as the order and service steps need to find it. */
export interface Region {
  index: number;
  name: RegionName;
  backhaulFibreId: string;
  aggRouterId: string;
  accessRouterIds: string[];
  gnbIds: string[];
  premiumSliceId: string;
  basicSliceId: string;
  /** The central office hosting routers and OLTs. */
  placeId: string;
  placeName: string;
}

export interface Ctx {
  scale: Scale;
  params: ScaleParams;
  rng: Rng;
  world: World;
  regions: Region[];
  customerById: Map<string, WorldCustomer>;
  /** Region each customer lives in (index into `regions`). */
  customerRegion: Map<string, number>;
  resourceById: Map<string, WorldResource>;
  serviceById: Map<string, WorldService>;
  offeringById: Map<string, WorldOffering>;
  counters: Map<string, number>;
}

/** Next number in a per-kind sequence, starting at 1. */
export function nextSeq(ctx: Ctx, kind: string): number {
  const n = (ctx.counters.get(kind) ?? 0) + 1;
  ctx.counters.set(kind, n);
  return n;
}

/** `nextId(ctx, 'PO-', 6)` → `PO-000001`, then `PO-000002`… */
export function nextId(ctx: Ctx, prefix: string, width = 3): string {
  return `${prefix}${pad(nextSeq(ctx, prefix), width)}`;
}

type ResourceInit = Pick<WorldResource, 'id' | 'name' | 'category'> & Partial<WorldResource>;

/** Adds a resource with in-service defaults (unlocked, enabled, available). */
export function addResource(ctx: Ctx, { id, name, category, ...rest }: ResourceInit): WorldResource {
  const resource: WorldResource = {
    // Identity first: seeded documents read better when id, name and category lead.
    id,
    name,
    category,
    reliesOn: [],
    bundledIn: null,
    placeId: null,
    characteristics: [],
    capacity: null,
    administrativeState: 'UNLOCKED',
    operationalState: 'ENABLE',
    usageState: 'ACTIVE',
    resourceStatus: 'AVAILABLE',
    ...rest,
  };
  ctx.world.resources.push(resource);
  ctx.resourceById.set(resource.id, resource);
  return resource;
}

/** Adds a service and indexes it. */
export function addService(ctx: Ctx, service: WorldService): WorldService {
  ctx.world.services.push(service);
  ctx.serviceById.set(service.id, service);
  return service;
}

/** Looks a resource up; a miss is a generator bug, so it throws. */
export function resource(ctx: Ctx, id: string): WorldResource {
  const r = ctx.resourceById.get(id);
  if (!r) throw new Error(`generator: unknown resource ${id}`);
  return r;
}
