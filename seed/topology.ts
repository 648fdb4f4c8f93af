/**
 * The network (TMF639). `reliesOn` always points UPWARD, toward what a resource needs to work:
 *
 *   cell ⊂ gNB ⊂ site                      (bundledIn: containment, not dependency)
 *   gNB → port-ar | mw (microwave) | agg-rtr
 *   port-ar → acc-rtr → agg-rtr → fibre (backhaul) → core-rtr
 *   slice → the gNBs of its region + cnf-upf + cnf-smf → core-rtr
 *   ont → pon → olt → fibre (feeder) → agg-rtr          (see access.ts)
 *
 * One region = one aggregation router behind one backhaul fibre, so a backhaul cut takes down
 * every mobile, fibre and VPN customer of that region.
 */
import { addResource, nextId, type Ctx, type Region } from './context.js';
import { allocatePort, PORTS_PER_ACCESS_ROUTER } from './access.js';
import { REGION_NAMES } from './names.js';
import { pad, round2 } from './rng.js';
import type { WorldResource } from './world.js';

const PRBS_PER_CELL = 273; // 100 MHz carrier at 30 kHz subcarrier spacing (band n78)
const CORE_ROUTERS = ['core-rtr-001', 'core-rtr-002'];

/** Builds core, transport, radio sites and slices for every region. */
export function buildTopology(ctx: Ctx): void {
  buildCore(ctx);
  ctx.params.regionWeights.forEach((_, index) => ctx.regions.push(buildRegionTransport(ctx, index)));
  for (const region of ctx.regions) buildRadio(ctx, region);
  for (const region of ctx.regions) buildSlices(ctx, region);
}

function buildCore(ctx: Ctx): void {
  const place = { placeId: 'PL-CORE-PAR', placeName: 'Paris core data centre' };
  CORE_ROUTERS.forEach((id, i) =>
    addResource(ctx, { id, name: `Core router ${i + 1}`, category: 'CORE_ROUTER', ...place, capacity: { total: 1600, used: 610 + 90 * i, unit: 'Gbps' }, characteristics: [{ name: 'vendor', value: 'Nokia 7750 SR-14s' }] }),
  );
  for (const [id, fn, router] of [['cnf-amf-001', 'AMF', 0], ['cnf-smf-001', 'SMF', 0], ['cnf-upf-001', 'UPF', 0], ['cnf-upf-002', 'UPF', 1]] as const) {
    addResource(ctx, { id, name: `5G core ${fn} ${id.slice(-3)}`, category: 'CORE_NETWORK_FUNCTION', reliesOn: [CORE_ROUTERS[router]], ...place, characteristics: [{ name: 'networkFunction', value: fn }, { name: 'release', value: '3GPP Rel-17' }] });
  }
}

function buildRegionTransport(ctx: Ctx, index: number): Region {
  const name = REGION_NAMES[index];
  const n = pad(index + 1);
  const place = { placeId: `PL-CO-${name.code}`, placeName: `${name.city} central office` };
  // Backhauls take fibre-001… in region order; feeders (access.ts) continue the same sequence.
  const backhaulFibreId = nextId(ctx, 'fibre-');
  // Regions alternate between the two core routers, so losing one core router is a half outage.
  addResource(ctx, {
    id: backhaulFibreId, name: `Backhaul fibre ${name.city} – core`, category: 'FIBRE_LINK', reliesOn: [CORE_ROUTERS[index % 2]], ...place,
    characteristics: [{ name: 'role', value: 'backhaul' }, { name: 'length', value: String(12 + index * 7), unit: 'km' }],
    capacity: { total: index === 0 ? 400 : 100, used: round2(ctx.rng.float(20, 60)), unit: 'Gbps' },
  });
  const aggRouterId = `agg-rtr-${n}`;
  addResource(ctx, { id: aggRouterId, name: `Aggregation router ${name.city}`, category: 'AGGREGATION_ROUTER', reliesOn: [backhaulFibreId], ...place, capacity: { total: 400, used: round2(ctx.rng.float(30, 120)), unit: 'Gbps' } });
  const accessRouterIds: string[] = [];
  for (let i = 0; i < ctx.params.accessRoutersPerRegion[index]; i++) {
    const id = nextId(ctx, 'acc-rtr-');
    accessRouterIds.push(id);
    addResource(ctx, { id, name: `Access router ${name.city} ${i + 1}`, category: 'ACCESS_ROUTER', reliesOn: [aggRouterId], ...place, capacity: { total: PORTS_PER_ACCESS_ROUTER, used: 0, unit: 'port' }, characteristics: [{ name: 'vendor', value: 'Cisco NCS 540' }] });
  }
  return { index, name, backhaulFibreId, aggRouterId, accessRouterIds, gnbIds: [], premiumSliceId: `slice-5g-${pad(2 * index + 1)}`, basicSliceId: `slice-5g-${pad(2 * index + 2)}`, ...place };
}

function buildRadio(ctx: Ctx, region: Region): void {
  for (let s = 0; s < ctx.params.sitesPerRegion[region.index]; s++) {
    const siteId = nextId(ctx, 'site-');
    const siteNum = siteId.slice('site-'.length);
    const place = { placeId: `PL-SITE-${siteNum}`, placeName: `${region.name.city} radio site ${siteNum}` };
    addResource(ctx, { id: siteId, name: `${region.name.city} site ${siteNum}`, category: 'SITE', ...place, characteristics: [{ name: 'siteType', value: ctx.rng.pick(['rooftop', 'tower', 'street cabinet']) }] });
    const gnbNum = nextId(ctx, 'gNB-').slice(4);
    const gnbId = `gNB-${gnbNum}`;
    const gnb = addResource(ctx, {
      id: gnbId, name: `gNodeB ${region.name.city} ${gnbNum}`, category: 'GNB', bundledIn: siteId, reliesOn: [uplinkFor(ctx, region, Number(gnbNum))], ...place,
      characteristics: [{ name: 'vendor', value: ctx.rng.pick(['Ericsson AIR 6449', 'Nokia AirScale']) }, { name: 'band', value: 'n78' }, { name: 'carrierBandwidth', value: '100', unit: 'MHz' }],
    });
    region.gnbIds.push(gnbId);
    let used = 0;
    for (let c = 1; c <= 3; c++) used += addCell(ctx, gnb, gnbNum, c).capacity!.used;
    gnb.capacity = { total: 3 * PRBS_PER_CELL, used, unit: 'PRB' };
  }
}

/**
 * Most gNBs hang off an access-router port; every fifth is a hub site wired straight into the
 * aggregation router and every fifth a rural site on a microwave hop — three transport shapes
 * for impact analysis to walk.
 */
function uplinkFor(ctx: Ctx, region: Region, gnbNumber: number): string {
  if (gnbNumber % 5 === 3) return region.aggRouterId;
  if (gnbNumber % 5 === 4) {
    const id = nextId(ctx, 'mw-');
    addResource(ctx, { id, name: `Microwave link ${id.slice(3)} to ${region.name.city} aggregation`, category: 'MICROWAVE_LINK', reliesOn: [region.aggRouterId], placeId: region.placeId, placeName: region.placeName, capacity: { total: 2, used: round2(ctx.rng.float(0.4, 1.6)), unit: 'Gbps' } });
    return id;
  }
  return allocatePort(ctx, region, 10, round2(ctx.rng.float(1, 6))).id;
}

function addCell(ctx: Ctx, gnb: WorldResource, gnbNum: string, sector: number): WorldResource {
  const used = ctx.rng.int(Math.round(PRBS_PER_CELL * 0.25), Math.round(PRBS_PER_CELL * 0.9));
  return addResource(ctx, {
    id: `cell-${gnbNum}-${sector}`, name: `Cell ${gnbNum}-${sector}`, category: 'CELL', bundledIn: gnb.id, placeId: gnb.placeId, placeName: gnb.placeName,
    characteristics: [{ name: 'pci', value: String(ctx.rng.int(0, 1007)) }, { name: 'azimuth', value: String((sector - 1) * 120), unit: 'deg' }, { name: 'band', value: 'n78' }],
    capacity: { total: PRBS_PER_CELL, used, unit: 'PRB' },
    usageState: used > PRBS_PER_CELL * 0.8 ? 'BUSY' : 'ACTIVE',
  });
}

/** Slices are regional: a slice relies on the gNBs it spans and on the 5G core serving it. */
function buildSlices(ctx: Ctx, region: Region): void {
  const core = [region.index % 2 === 0 ? 'cnf-upf-001' : 'cnf-upf-002', 'cnf-smf-001'];
  for (const [id, tier, fiveQi] of [[region.premiumSliceId, 'Premium', '7'], [region.basicSliceId, 'Basic', '9']] as const) {
    addResource(ctx, {
      id, name: `eMBB ${tier} slice ${region.name.city}`, category: 'NETWORK_SLICE', reliesOn: [...region.gnbIds, ...core], placeId: region.placeId, placeName: region.placeName,
      characteristics: [{ name: 'sst', value: '1' }, { name: 'sd', value: id.slice(-3).padStart(6, '0') }, { name: '5qi', value: fiveQi }],
      capacity: { total: tier === 'Premium' ? 20 : 40, used: round2(ctx.rng.float(2, 12)), unit: 'Gbps' },
    });
  }
}
