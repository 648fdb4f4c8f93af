/**
 * Access resources handed out to customers as orders are fulfilled: access-router ports (gNB
 * uplinks and enterprise VPN attachments) and the FTTH chain ONT → PON port → OLT → feeder fibre.
 * Allocation fills equipment in order and opens new equipment when full, like a planner would.
 */
import { addResource, nextId, resource, type Ctx, type Region } from './context.js';
import { pad, round2 } from './rng.js';
import type { WorldResource } from './world.js';

/** Ports per access router; allocation opens a new router when all are full. */
export const PORTS_PER_ACCESS_ROUTER = 48;
const PON_PORTS_PER_OLT = 16;
const PON_SPLIT = 64;
/** Planners stop at ~75 % of the 1:64 split to keep headroom for upgrades. */
const ONTS_PER_PON = 48;

interface FtthCursor {
  feederId: string | null;
  oltsOnFeeder: number;
  oltId: string | null;
  ponsOnOlt: number;
  ponId: string | null;
  ontsOnPon: number;
}

// Keyed by the Region object, which each generateWorld call creates afresh: no state leaks between worlds.
const ftthCursors = new WeakMap<Region, FtthCursor>();
const portCursors = new WeakMap<Region, number>();

/**
 * A new port on one of the region's access routers (round robin). `speedGbps` is the port
 * speed; `usedGbps` what the attached gNB or customer consumes.
 */
export function allocatePort(ctx: Ctx, region: Region, speedGbps: number, usedGbps: number): WorldResource {
  const routers = region.accessRouterIds;
  const start = portCursors.get(region) ?? 0;
  for (let k = 0; k < routers.length; k++) {
    const router = resource(ctx, routers[(start + k) % routers.length]);
    if (router.capacity!.used >= PORTS_PER_ACCESS_ROUTER) continue;
    portCursors.set(region, (start + k + 1) % routers.length);
    router.capacity!.used += 1;
    const id = nextId(ctx, `port-ar-${router.id.slice('acc-rtr-'.length)}-`, 2);
    return addResource(ctx, {
      id, name: `${router.name} port ${id.slice(-2)}`, category: 'PORT', reliesOn: [router.id], placeId: router.placeId, placeName: router.placeName,
      characteristics: [{ name: 'portSpeed', value: String(speedGbps), unit: 'Gbps' }, { name: 'interface', value: speedGbps >= 10 ? '10GBASE-LR' : '1000BASE-LX' }],
      capacity: { total: speedGbps, used: round2(usedGbps), unit: 'Gbps' },
    });
  }
  // Growing the router pool keeps allocation total at any scale instead of failing an order.
  const extra = nextId(ctx, 'acc-rtr-');
  addResource(ctx, { id: extra, name: `Access router ${region.name.city} ${routers.length + 1}`, category: 'ACCESS_ROUTER', reliesOn: [region.aggRouterId], placeId: region.placeId, placeName: region.placeName, capacity: { total: PORTS_PER_ACCESS_ROUTER, used: 0, unit: 'port' }, characteristics: [{ name: 'vendor', value: 'Cisco NCS 540' }] });
  routers.push(extra);
  portCursors.set(region, routers.length - 1);
  return allocatePort(ctx, region, speedGbps, usedGbps);
}

/** An ONT at the customer's premises, on the region's current PON port (opening equipment as needed). */
export function allocateOnt(ctx: Ctx, region: Region, customerId: string, premises: string, reserved: boolean): WorldResource {
  const cursor = ftthCursors.get(region) ?? { feederId: null, oltsOnFeeder: 0, oltId: null, ponsOnOlt: 0, ponId: null, ontsOnPon: 0 };
  ftthCursors.set(region, cursor);
  if (!cursor.ponId || cursor.ontsOnPon >= ONTS_PER_PON) openPon(ctx, region, cursor);
  cursor.ontsOnPon += 1;
  resource(ctx, cursor.ponId!).capacity!.used = cursor.ontsOnPon;
  const id = nextId(ctx, 'ont-', 6);
  return addResource(ctx, {
    id, name: `ONT ${id.slice(4)} (${customerId})`, category: 'ONT', reliesOn: [cursor.ponId!], placeId: `PL-${customerId}`, placeName: premises,
    characteristics: [{ name: 'serialNumber', value: `ALCL${ctx.rng.code(8)}` }, { name: 'model', value: ctx.rng.pick(['Nokia XS-2426G-A', 'Huawei HN8255Ws']) }],
    usageState: reserved ? 'IDLE' : 'ACTIVE',
    resourceStatus: reserved ? 'RESERVED' : 'AVAILABLE',
  });
}

function openPon(ctx: Ctx, region: Region, cursor: FtthCursor): void {
  if (!cursor.oltId || cursor.ponsOnOlt >= PON_PORTS_PER_OLT) openOlt(ctx, region, cursor);
  cursor.ponsOnOlt += 1;
  const olt = resource(ctx, cursor.oltId!);
  olt.capacity!.used = cursor.ponsOnOlt;
  const id = `pon-${olt.id.slice('olt-'.length)}-${pad(cursor.ponsOnOlt, 2)}`;
  addResource(ctx, {
    id, name: `${olt.name} PON ${pad(cursor.ponsOnOlt, 2)}`, category: 'PON_PORT', reliesOn: [olt.id], placeId: olt.placeId, placeName: olt.placeName,
    characteristics: [{ name: 'technology', value: 'XGS-PON' }, { name: 'downstreamRate', value: '10', unit: 'Gbps' }, { name: 'splitRatio', value: `1:${PON_SPLIT}` }],
    capacity: { total: PON_SPLIT, used: 0, unit: 'ONT' },
  });
  cursor.ponId = id;
  cursor.ontsOnPon = 0;
}

function openOlt(ctx: Ctx, region: Region, cursor: FtthCursor): void {
  if (!cursor.feederId || cursor.oltsOnFeeder >= ctx.params.oltsPerFeeder) openFeeder(ctx, region, cursor);
  cursor.oltsOnFeeder += 1;
  const id = nextId(ctx, 'olt-');
  addResource(ctx, {
    id, name: `OLT ${region.name.city} ${id.slice(4)}`, category: 'OLT', reliesOn: [cursor.feederId!], placeId: region.placeId, placeName: region.placeName,
    characteristics: [{ name: 'vendor', value: 'Nokia Lightspan MF-14' }],
    capacity: { total: PON_PORTS_PER_OLT, used: 0, unit: 'PON port' },
  });
  cursor.oltId = id;
  cursor.ponsOnOlt = 0;
}

/** Feeder fibres share the `fibre-` sequence with backhauls, so they number after them. */
function openFeeder(ctx: Ctx, region: Region, cursor: FtthCursor): void {
  const id = nextId(ctx, 'fibre-');
  addResource(ctx, {
    id, name: `Feeder fibre ${region.name.city} ${id.slice(6)}`, category: 'FIBRE_LINK', reliesOn: [region.aggRouterId], placeId: region.placeId, placeName: region.placeName,
    characteristics: [{ name: 'role', value: 'feeder' }, { name: 'length', value: String(2 + (Number(id.slice(6)) % 9)), unit: 'km' }],
    capacity: { total: 100, used: 0, unit: 'Gbps' },
  });
  cursor.feederId = id;
  cursor.oltsOnFeeder = 0;
}
