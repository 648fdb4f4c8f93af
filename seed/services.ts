/**
 * Fulfilment of product orders: one TMF641 service order per fulfilled product order, one
 * customer-facing service (TMF638) per item, realised on real resources. Service state follows
 * item state: COMPLETED → ACTIVE (activatedAt = order completion), IN_PROGRESS → RESERVED (resources
 * held, not active), FAILED → TERMINATED (rolled back: no resources, never activated).
 */
import { allocateOnt, allocatePort } from './access.js';
import { OFFERING, SERVICE_SPEC } from './catalog.js';
import { addService, nextId, type Ctx, type Region } from './context.js';
import { EXAMPLE_CUSTOMER_ID } from './customers.js';
import { addDays, pad } from './rng.js';
import type { ServiceState, WorldOrderItem, WorldProductOrder, WorldService, WorldServiceOrder } from './world.js';

/** 5G standalone launch: the shared slice services have been up since then. */
const SLICE_LAUNCH = new Date('2024-06-03T06:00:00.000Z');

const FAILURES = [
  { code: 'ACTIVATION_TIMEOUT', message: 'Network activation did not confirm within the step deadline' },
  { code: 'RESOURCE_UNAVAILABLE', message: 'No capacity left on the serving equipment' },
  { code: 'SITE_ACCESS_DENIED', message: 'Technician could not access the installation address' },
];

/** One resource-facing service per network slice: 5G customer services are built on them. */
export function buildSliceServices(ctx: Ctx): void {
  for (const region of ctx.regions) {
    for (const sliceId of [region.premiumSliceId, region.basicSliceId]) {
      addService(ctx, {
        id: `rfs-${sliceId}`, name: `Slice service ${sliceId}`, category: 'RESOURCE_FACING', state: 'ACTIVE', customerId: null, productOfferingId: null,
        serviceSpecificationId: SERVICE_SPEC.slice.id, characteristics: [{ name: 'sliceId', value: sliceId }], activatedAt: SLICE_LAUNCH, supportingResourceIds: [sliceId], supportingServiceIds: [],
      });
    }
  }
}

/** Creates the service order and services for a product order that reached fulfilment. */
export function fulfil(ctx: Ctx, po: WorldProductOrder): void {
  const region = ctx.regions[ctx.customerRegion.get(po.customerId)!];
  const so: WorldServiceOrder = {
    id: nextId(ctx, 'SO-', 6), productOrderId: po.id, state: po.state,
    orderDate: addDays(po.orderDate, 2 / 1440), completionDate: po.completionDate, items: [], errorMessages: [],
  };
  po.items.forEach((item, k) => {
    const service = createService(ctx, po, item, region);
    item.serviceId = service.id;
    const itemId = `${so.id}-${k + 1}`;
    so.items.push({ id: itemId, productOrderItemId: item.id, action: item.action, state: item.state, serviceId: service.id, serviceSpecificationId: service.serviceSpecificationId, characteristics: item.characteristics });
    if (item.state === 'FAILED') {
      const failure = ctx.rng.pick(FAILURES);
      so.errorMessages!.push({ ...failure, timestamp: po.completionDate!, itemId });
      po.notes!.push({ author: 'orchestrator', date: po.completionDate!, text: `Item ${item.id} failed: ${failure.message}; service ${service.id} rolled back.` });
    }
  });
  ctx.world.serviceOrders.push(so);
}

function serviceState(item: WorldOrderItem): ServiceState {
  if (item.state === 'COMPLETED') return 'ACTIVE';
  if (item.state === 'FAILED') return 'TERMINATED';
  return 'RESERVED';
}

function createService(ctx: Ctx, po: WorldProductOrder, item: WorldOrderItem, region: Region): WorldService {
  const offering = ctx.offeringById.get(item.productOfferingId)!;
  const state = serviceState(item);
  const service: WorldService = {
    id: '', name: '', category: 'CUSTOMER_FACING', state, customerId: po.customerId, productOfferingId: offering.id,
    serviceSpecificationId: offering.specification.serviceSpecifications[0].id, characteristics: [...item.characteristics],
    activatedAt: state === 'ACTIVE' ? po.completionDate : null, supportingResourceIds: [], supportingServiceIds: [],
  };
  const bandwidth = item.characteristics.find((c) => c.name === 'bandwidth')?.value ?? '';
  // A rolled-back service released whatever it had reserved, so it points at no resource.
  const realise = state !== 'TERMINATED';
  switch (offering.id) {
    case OFFERING.premium5g:
    case OFFERING.basic5g: {
      service.id = nextId(ctx, 'svc-5g-');
      const slice = offering.id === OFFERING.premium5g ? region.premiumSliceId : region.basicSliceId;
      // The example is pinned to the first gNB so the documented ids hold at every scale and seed.
      const gnb = po.customerId === EXAMPLE_CUSTOMER_ID ? region.gnbIds[0] : ctx.rng.pick(region.gnbIds);
      service.characteristics.push({ name: 'msisdn', value: `+337${pad(ctx.rng.int(0, 99_999_999), 8)}` });
      if (realise) service.supportingResourceIds = [gnb, slice];
      service.supportingServiceIds = [`rfs-${slice}`];
      break;
    }
    case OFFERING.fibre: {
      service.id = nextId(ctx, 'svc-ftth-', 6);
      if (realise) service.supportingResourceIds = [ontFor(ctx, po, region, state).id];
      break;
    }
    case OFFERING.vpn: {
      service.id = nextId(ctx, 'svc-vpn-');
      service.characteristics.push({ name: 'vlanId', value: String(ctx.rng.int(100, 3999)) });
      const port = realise ? [allocatePort(ctx, region, bandwidth === '100Mbps' ? 1 : 10, gbps(bandwidth)).id] : [];
      service.supportingResourceIds = port;
      const rfs = addService(ctx, {
        ...service, id: nextId(ctx, 'rfs-vpn-'), name: `L3VPN attachment for ${service.id}`, category: 'RESOURCE_FACING', customerId: null, productOfferingId: null,
        serviceSpecificationId: SERVICE_SPEC.vpnAccess.id, characteristics: [{ name: 'vrf', value: `VRF-${po.customerId}` }], supportingResourceIds: port,
      });
      service.supportingServiceIds = [rfs.id];
      break;
    }
    default:
      throw new Error(`generator: no fulfilment for offering ${offering.id}`);
  }
  service.name = `${offering.name} ${service.id}`;
  return addService(ctx, service);
}

function ontFor(ctx: Ctx, po: WorldProductOrder, region: Region, state: ServiceState) {
  const customer = ctx.customerById.get(po.customerId)!;
  const premises = `${customer.address.street}, ${customer.address.postCode} ${customer.address.city}`;
  return allocateOnt(ctx, region, po.customerId, premises, state !== 'ACTIVE');
}

function gbps(bandwidth: string): number {
  const m = /^(\d+)(M|G)bps$/.exec(bandwidth);
  if (!m) return 0;
  return m[2] === 'G' ? Number(m[1]) : Number(m[1]) / 1000;
}
