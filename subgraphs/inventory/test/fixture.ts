import type { WorldOffering, WorldProductOrder } from '../../../seed/world.js';
import { customer, day, resource, service, world } from './world-builders.js';

/**
 * A hand-written network (seed/generate.ts did not exist when these tests were written) with
 * every shape the walks must handle:
 *
 *   core-rtr-001 ← fibre-001 ← agg-rtr-001 ← acc-rtr-001 ← port-ar-001-01, port-ar-001-02
 *                                          ← acc-rtr-002 ← port-ar-002-01 ← gNB-001 (⊂ site-001, ⊃ cell-001-1)
 *   core-rtr-001 ← cnf-upf-001;  slice-5g-001 → [gNB-001, cnf-upf-001]   (core-rtr-001 reached twice)
 *   core-rtr-001 ← fibre-002 ← agg-rtr-002 ← acc-rtr-003 ← port-ar-003-01
 *   cpe-001 → [port-ar-001-02, port-ar-003-01]       dual-homed across both fibres (diamond)
 *   mw-001 ⇄ mw-002 (a cycle), mw-001 → agg-rtr-002, gNB-002 → mw-001
 *   port-ar-009-01 → [acc-rtr-missing (dangling), acc-rtr-003]
 *
 * Services: CFS on ports, CFS built on RFS, services not in service (terminated, inactive,
 * designed) still recording what they stand on, and 30 bulk customers (CUST-100…CUST-129) for
 * paging and batching.
 */

const site = { placeId: 'PL-SITE-001', placeName: 'Paris radio site 001' };
const resources = [
  resource('core-rtr-001', 'CORE_ROUTER', { name: 'Core router 1', capacity: { total: 1600, used: 610, unit: 'Gbps' } }),
  resource('cnf-upf-001', 'CORE_NETWORK_FUNCTION', { reliesOn: ['core-rtr-001'] }),
  resource('fibre-001', 'FIBRE_LINK', { name: 'Backhaul fibre Paris – core', reliesOn: ['core-rtr-001'], placeId: 'PL-CO-PAR', placeName: 'Paris central office' }),
  resource('agg-rtr-001', 'AGGREGATION_ROUTER', { reliesOn: ['fibre-001'] }),
  resource('acc-rtr-001', 'ACCESS_ROUTER', { reliesOn: ['agg-rtr-001'] }),
  resource('acc-rtr-002', 'ACCESS_ROUTER', { reliesOn: ['agg-rtr-001'] }),
  resource('port-ar-001-01', 'PORT', { reliesOn: ['acc-rtr-001'] }),
  resource('port-ar-001-02', 'PORT', { reliesOn: ['acc-rtr-001'] }),
  resource('port-ar-002-01', 'PORT', { reliesOn: ['acc-rtr-002'], characteristics: [{ name: 'portSpeed', value: '10', unit: 'Gbps' }, { name: 'interface', value: '10GBASE-LR' }] }),
  resource('site-001', 'SITE', { name: 'Paris site 001', ...site }),
  resource('gNB-001', 'GNB', {
    name: 'gNodeB Paris 001', bundledIn: 'site-001', reliesOn: ['port-ar-002-01'], ...site,
    characteristics: [{ name: 'band', value: 'n78' }, { name: 'carrierBandwidth', value: '100', unit: 'MHz' }], capacity: { total: 819, used: 400, unit: 'PRB' },
  }),
  resource('cell-001-1', 'CELL', { bundledIn: 'gNB-001', ...site }),
  resource('slice-5g-001', 'NETWORK_SLICE', { name: 'eMBB Premium slice Paris', reliesOn: ['gNB-001', 'cnf-upf-001'] }),
  resource('fibre-002', 'FIBRE_LINK', { reliesOn: ['core-rtr-001'] }),
  resource('agg-rtr-002', 'AGGREGATION_ROUTER', { reliesOn: ['fibre-002'] }),
  resource('acc-rtr-003', 'ACCESS_ROUTER', { reliesOn: ['agg-rtr-002'], administrativeState: 'LOCKED', operationalState: 'DISABLE', usageState: 'IDLE', resourceStatus: 'ALARM' }),
  resource('port-ar-003-01', 'PORT', { reliesOn: ['acc-rtr-003'] }),
  resource('cpe-001', 'CPE', { reliesOn: ['port-ar-001-02', 'port-ar-003-01'], placeId: 'PL-CUST-789', placeName: 'Acme HQ' }),
  resource('mw-001', 'MICROWAVE_LINK', { reliesOn: ['mw-002', 'agg-rtr-002'] }),
  resource('mw-002', 'MICROWAVE_LINK', { reliesOn: ['mw-001'] }),
  resource('gNB-002', 'GNB', { reliesOn: ['mw-001'] }),
  resource('port-ar-009-01', 'PORT', { reliesOn: ['acc-rtr-missing', 'acc-rtr-003'] }),
];

const bulkIds = Array.from({ length: 30 }, (_, i) => 100 + i);
const services = [
  service('svc-5g-001', 'CUST-789', {
    name: '5G Premium for Acme', productOfferingId: '5G_PREMIUM', serviceSpecificationId: 'CFS_5G_ACCESS', activatedAt: day(12),
    characteristics: [{ name: 'bandwidth', value: '1Gbps' }], supportingResourceIds: ['slice-5g-001', 'gNB-001'], supportingServiceIds: ['rfs-5g-001'],
  }),
  service('rfs-5g-001', null, { serviceSpecificationId: 'RFS_5G_SLICE', supportingResourceIds: ['slice-5g-001'] }),
  service('svc-vpn-789', 'CUST-789', { productOfferingId: 'VPN_ENTERPRISE', supportingResourceIds: ['cpe-001'] }),
  service('svc-old-789', 'CUST-789', { state: 'TERMINATED', activatedAt: day(2), supportingResourceIds: ['port-ar-001-01'] }),
  service('svc-bb-001', 'CUST-001', { supportingResourceIds: ['port-ar-001-01'] }),
  service('rfs-acc-002', null, { supportingResourceIds: ['port-ar-001-02'] }),
  service('svc-bb-002', 'CUST-002', { supportingServiceIds: ['rfs-acc-002'] }),
  service('svc-bb-003', 'CUST-002', { state: 'INACTIVE', activatedAt: null, supportingResourceIds: ['port-ar-003-01'] }),
  service('svc-mw-004', 'CUST-004', { supportingResourceIds: ['gNB-002'] }),
  service('svc-bb-005', 'CUST-005', { supportingResourceIds: ['port-ar-009-01'] }),
  ...bulkIds.flatMap((n) => [
    service(`svc-bulk-${n}-a`, `CUST-${n}`, { supportingResourceIds: ['port-ar-002-01'] }),
    ...(n % 2 === 0 ? [service(`svc-bulk-${n}-b`, `CUST-${n}`, { state: 'DESIGNED', activatedAt: null, supportingServiceIds: ['rfs-5g-001'] })] : []),
  ]),
];

const offerings: WorldOffering[] = [{
  id: '5G_PREMIUM', name: '5G Premium', description: '5G with a premium slice', isSellable: true, lifecycleStatus: 'LAUNCHED', category: 'mobile',
  specification: {
    id: 'PS_5G_PREMIUM', name: '5G Premium product', characteristics: [],
    serviceSpecifications: [{ id: 'CFS_5G_ACCESS', name: '5G access (CFS)' }, { id: 'RFS_5G_SLICE', name: '5G slice attachment (RFS)' }],
    resourceSpecifications: [{ id: 'RS_GNB', name: 'gNodeB', category: 'GNB' }],
  },
  prices: [],
}];

/** Orders fix creation times: CUST-789's services were created svc-old, svc-vpn, then svc-5g (not id order). */
function order(id: string, serviceId: string, at: number): WorldProductOrder {
  return {
    id, externalId: `ext-${id}`, customerId: 'CUST-789', billingAccountId: 'BA-789', state: 'COMPLETED', priority: 4, orderDate: day(at), completionDate: day(at + 1),
    items: [{ id: '1', action: 'ADD', productOfferingId: 'X', characteristics: [], state: 'COMPLETED', serviceId }],
  };
}

export const fixtureWorld = world({
  resources,
  services,
  offerings,
  productOrders: [order('PO-3', 'svc-5g-001', 11), order('PO-2', 'svc-vpn-789', 5), order('PO-1', 'svc-old-789', 1)],
  customers: [customer('CUST-789', { segment: 'ENTERPRISE', slaTier: 'GOLD' }), ...['CUST-001', 'CUST-002', 'CUST-004', 'CUST-005'].map((id) => customer(id)), ...bulkIds.map((n) => customer(`CUST-${n}`))],
});
