/**
 * The product catalog (TMF620). Offerings name the service and resource specifications OSS must
 * build, which is how an order for `5G_PREMIUM` turns into a gNB and a network slice.
 */
import type { WorldOffering, WorldPrice } from './world.js';

type Spec = WorldOffering['specification'];
type CharSpec = Spec['characteristics'][number];

/** Offering ids, as orders reference them. */
export const OFFERING = {
  premium5g: '5G_PREMIUM',
  basic5g: '5G_BASIC',
  fibre: 'FIBRE_1G',
  vpn: 'ENTERPRISE_VPN',
  legacyLte: 'LTE_CLASSIC',
} as const;

/** Service specifications each offering's customer-facing service is built from. */
export const SERVICE_SPEC = {
  data5g: { id: 'SS-5G-DATA', name: '5G Data Service' },
  ftth: { id: 'SS-FTTH-ACCESS', name: 'FTTH Access Service' },
  vpn: { id: 'SS-L3VPN', name: 'Enterprise L3VPN Service' },
  vpnAccess: { id: 'SS-L3VPN-ACCESS', name: 'L3VPN Access Attachment' },
  slice: { id: 'SS-5G-SLICE', name: '5G Network Slice Service' },
  lte: { id: 'SS-LTE-DATA', name: 'LTE Data Service' },
} as const;

const RESOURCE_SPEC = {
  gnb: { id: 'RS-GNB', name: 'gNodeB (5G NR base station)', category: 'GNB' },
  slice: { id: 'RS-NETWORK-SLICE', name: '5G network slice', category: 'NETWORK_SLICE' },
  ont: { id: 'RS-ONT', name: 'Optical network terminal', category: 'ONT' },
  pon: { id: 'RS-PON-PORT', name: 'XGS-PON port', category: 'PON_PORT' },
  olt: { id: 'RS-OLT', name: 'Optical line terminal', category: 'OLT' },
  port: { id: 'RS-ACCESS-PORT', name: 'Access router customer port', category: 'PORT' },
  accessRouter: { id: 'RS-ACCESS-ROUTER', name: 'Access router', category: 'ACCESS_ROUTER' },
} as const satisfies Record<string, Spec['resourceSpecifications'][number]>;

function bandwidth(allowed: string[], defaultValue?: string): CharSpec {
  return { name: 'bandwidth', valueType: 'STRING', allowedValues: allowed, defaultValue, mandatory: true };
}

/** The three prices an offering usually has; ids are derived so billing can cite them. */
function prices(offeringId: string, monthly: number, activation: number | null, usage?: { perGb: number; ratingGroup: string }): WorldPrice[] {
  const list: WorldPrice[] = [
    { id: `POP-${offeringId}-MRC`, name: 'Monthly subscription', priceType: 'RECURRING', recurringChargePeriod: 'MONTH', amount: monthly, currency: 'EUR' },
  ];
  if (activation !== null) list.push({ id: `POP-${offeringId}-NRC`, name: 'Activation fee', priceType: 'ONE_TIME', amount: activation, currency: 'EUR' });
  if (usage) {
    list.push({ id: `POP-${offeringId}-USAGE`, name: 'Data beyond allowance', priceType: 'USAGE', amount: usage.perGb, currency: 'EUR', unitOfMeasure: 'GB', ratingGroup: usage.ratingGroup });
  }
  return list;
}

/** Builds the catalog; offerings are fixed, so this takes no randomness. */
export function buildCatalog(): WorldOffering[] {
  return [
    {
      id: OFFERING.premium5g,
      name: '5G Premium',
      description: 'Premium 5G data on a dedicated eMBB slice with guaranteed bandwidth.',
      isSellable: true,
      lifecycleStatus: 'LAUNCHED',
      category: 'Mobile',
      specification: {
        id: 'PS-5G-PREMIUM',
        name: '5G Premium Data',
        characteristics: [
          bandwidth(['100Mbps', '500Mbps', '1Gbps'], '500Mbps'),
          { name: 'staticIp', valueType: 'BOOLEAN', allowedValues: ['true', 'false'], defaultValue: 'false', mandatory: false },
        ],
        serviceSpecifications: [SERVICE_SPEC.data5g],
        resourceSpecifications: [RESOURCE_SPEC.gnb, RESOURCE_SPEC.slice],
      },
      prices: prices(OFFERING.premium5g, 59.99, 29.0, { perGb: 2.0, ratingGroup: 'DATA_5G_PREMIUM' }),
      serviceLevelAgreement: 'SLA-5G-PREMIUM',
    },
    {
      id: OFFERING.basic5g,
      name: '5G Basic',
      description: 'Best-effort 5G data on the shared eMBB slice.',
      isSellable: true,
      lifecycleStatus: 'LAUNCHED',
      category: 'Mobile',
      specification: {
        id: 'PS-5G-BASIC',
        name: '5G Basic Data',
        characteristics: [bandwidth(['50Mbps', '100Mbps'], '100Mbps')],
        serviceSpecifications: [SERVICE_SPEC.data5g],
        resourceSpecifications: [RESOURCE_SPEC.gnb, RESOURCE_SPEC.slice],
      },
      prices: prices(OFFERING.basic5g, 24.99, null, { perGb: 3.5, ratingGroup: 'DATA_5G_BASIC' }),
    },
    {
      id: OFFERING.fibre,
      name: 'Fibre 1G',
      description: 'FTTH broadband over XGS-PON, up to 1 Gbit/s.',
      isSellable: true,
      lifecycleStatus: 'LAUNCHED',
      category: 'Fixed',
      specification: {
        id: 'PS-FIBRE-1G',
        name: 'FTTH Broadband',
        characteristics: [
          bandwidth(['300Mbps', '500Mbps', '1Gbps'], '1Gbps'),
          { name: 'installationType', valueType: 'STRING', allowedValues: ['SELF', 'TECHNICIAN'], defaultValue: 'TECHNICIAN', mandatory: false },
        ],
        serviceSpecifications: [SERVICE_SPEC.ftth],
        resourceSpecifications: [RESOURCE_SPEC.ont, RESOURCE_SPEC.pon, RESOURCE_SPEC.olt],
      },
      prices: prices(OFFERING.fibre, 39.99, 49.0),
    },
    {
      id: OFFERING.vpn,
      name: 'Enterprise VPN',
      description: 'MPLS L3VPN site access on a dedicated access-router port.',
      isSellable: true,
      lifecycleStatus: 'LAUNCHED',
      category: 'Enterprise',
      specification: {
        id: 'PS-ENTERPRISE-VPN',
        name: 'Enterprise L3VPN Access',
        characteristics: [
          bandwidth(['100Mbps', '1Gbps', '10Gbps'], '1Gbps'),
          { name: 'vpnTopology', valueType: 'STRING', allowedValues: ['HUB_AND_SPOKE', 'FULL_MESH'], defaultValue: 'HUB_AND_SPOKE', mandatory: false },
        ],
        serviceSpecifications: [SERVICE_SPEC.vpn],
        resourceSpecifications: [RESOURCE_SPEC.port, RESOURCE_SPEC.accessRouter],
      },
      prices: prices(OFFERING.vpn, 450.0, 500.0),
      serviceLevelAgreement: 'SLA-ENTERPRISE-VPN',
    },
    {
      id: OFFERING.legacyLte,
      name: 'LTE Classic',
      description: 'Retired 4G data plan; existing orders for it are rejected.',
      isSellable: false,
      lifecycleStatus: 'RETIRED',
      category: 'Mobile',
      specification: {
        id: 'PS-LTE-CLASSIC',
        name: 'LTE Data',
        characteristics: [bandwidth(['50Mbps'], '50Mbps')],
        serviceSpecifications: [SERVICE_SPEC.lte],
        resourceSpecifications: [],
      },
      prices: prices(OFFERING.legacyLte, 19.99, null),
    },
  ];
}
