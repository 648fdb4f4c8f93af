import { partialWorld } from '../../../kit/testing.js';
import type { OrderState, World, WorldOffering, WorldProductOrder, WorldServiceOrder } from '../../../seed/world.js';

/**
 * A small hand-written world holding only what the order subgraph stores (orders, plus the
 * offerings that name service specifications). `seed/generate.ts` was not available when these
 * tests were written; switch to `generateWorld('small')` once it is.
 */

const BASE = Date.UTC(2025, 0, 1);
const hours = (n: number) => new Date(BASE + n * 3_600_000);

const offering5g: WorldOffering = {
  id: '5G_PREMIUM',
  name: '5G Premium',
  description: '5G with a dedicated slice',
  isSellable: true,
  lifecycleStatus: 'LAUNCHED',
  category: 'MOBILE',
  specification: {
    id: 'PS_5G',
    name: '5G product',
    characteristics: [{ name: 'bandwidth', valueType: 'STRING', allowedValues: ['500Mbps', '1Gbps'], mandatory: true }],
    serviceSpecifications: [{ id: 'CFS_5G_ACCESS', name: '5G access' }],
    resourceSpecifications: [],
  },
  prices: [],
};

/** CUST-789's two orders: the completed seed-document example and a newer one in progress. */
const exampleOrders: WorldProductOrder[] = [
  {
    id: 'PO-789-1', externalId: 'order-12345', customerId: 'CUST-789', billingAccountId: 'BA-789', state: 'COMPLETED', priority: 1,
    orderDate: hours(0), completionDate: hours(2),
    items: [{ id: '1', action: 'ADD', productOfferingId: '5G_PREMIUM', characteristics: [{ name: 'bandwidth', value: '1Gbps' }], state: 'COMPLETED', serviceId: 'svc-5g-001' }],
  },
  {
    id: 'PO-789-2', externalId: 'order-67890', customerId: 'CUST-789', billingAccountId: 'BA-789', state: 'IN_PROGRESS', priority: 0,
    orderDate: hours(10), completionDate: null,
    items: [
      { id: '1', action: 'MODIFY', productOfferingId: '5G_PREMIUM', characteristics: [{ name: 'bandwidth', value: '500Mbps' }], state: 'IN_PROGRESS', serviceId: 'svc-5g-001' },
      { id: '2', action: 'ADD', productOfferingId: 'FIBRE_1G', characteristics: [], state: 'ACKNOWLEDGED', serviceId: null },
    ],
  },
  // Two orders placed at the same instant: the id breaks the tie, so pages stay stable.
  ...['PO-TIE-A', 'PO-TIE-B'].map((id): WorldProductOrder => ({
    id, externalId: `ext-${id}`, customerId: 'CUST-900', billingAccountId: 'BA-900', state: 'REJECTED', priority: 4,
    orderDate: hours(50), completionDate: hours(50),
    items: [{ id: '1', action: 'ADD', productOfferingId: '5G_PREMIUM', characteristics: [], state: 'REJECTED', serviceId: null }],
  })),
];

const exampleServiceOrders: WorldServiceOrder[] = [
  {
    id: 'SO-789-1', productOrderId: 'PO-789-1', state: 'COMPLETED', orderDate: hours(0.5), completionDate: hours(2),
    items: [{ id: '1', productOrderItemId: '1', action: 'ADD', state: 'COMPLETED', serviceId: 'svc-5g-001', serviceSpecificationId: 'CFS_5G_ACCESS', characteristics: [{ name: 'bandwidth', value: '1Gbps' }] }],
  },
  // Two service orders for one product order, stored newest first to prove the API sorts them.
  {
    id: 'SO-789-2B', productOrderId: 'PO-789-2', state: 'ACKNOWLEDGED', orderDate: hours(12), completionDate: null,
    items: [{ id: '1', productOrderItemId: '2', action: 'ADD', state: 'ACKNOWLEDGED', serviceId: 'svc-fibre-002', serviceSpecificationId: 'CFS_FIBRE', characteristics: [] }],
  },
  {
    id: 'SO-789-2A', productOrderId: 'PO-789-2', state: 'IN_PROGRESS', orderDate: hours(11), completionDate: null,
    items: [{ id: '1', productOrderItemId: '1', action: 'MODIFY', state: 'IN_PROGRESS', serviceId: 'svc-5g-001', serviceSpecificationId: 'CFS_5G_ACCESS', characteristics: [{ name: 'bandwidth', value: '500Mbps' }] }],
  },
];

const STATES: OrderState[] = ['COMPLETED', 'IN_PROGRESS', 'ACKNOWLEDGED', 'FAILED'];

/** Number of generated customers (CUST-1001 … CUST-1060), each with 1 to 3 orders. */
export const GENERATED_CUSTOMERS = 60;
export const generatedCustomerId = (i: number) => `CUST-${1000 + i}`;
/** How many orders generated customer `i` has. */
export const ordersOfGeneratedCustomer = (i: number) => (i % 3) + 1;

function generatedOrders(): { productOrders: WorldProductOrder[]; serviceOrders: WorldServiceOrder[] } {
  const productOrders: WorldProductOrder[] = [];
  const serviceOrders: WorldServiceOrder[] = [];
  for (let i = 1; i <= GENERATED_CUSTOMERS; i++) {
    for (let n = 1; n <= ordersOfGeneratedCustomer(i); n++) {
      const id = `PO-${1000 + i}-${n}`;
      const state = STATES[(i + n) % STATES.length];
      const orderDate = hours(100 + i * 5 + n);
      const serviceId = `svc-${1000 + i}-${n}`;
      productOrders.push({
        id, externalId: `ext-${id}`, customerId: generatedCustomerId(i), billingAccountId: `BA-${1000 + i}`, state, priority: (i + n) % 5,
        orderDate, completionDate: state === 'COMPLETED' ? hours(101 + i * 5 + n) : null,
        items: [{ id: '1', action: 'ADD', productOfferingId: '5G_PREMIUM', characteristics: [{ name: 'bandwidth', value: '1Gbps' }], state, serviceId }],
      });
      serviceOrders.push({
        id: `SO-${1000 + i}-${n}`, productOrderId: id, state, orderDate, completionDate: null,
        items: [{ id: '1', productOrderItemId: '1', action: 'ADD', state, serviceId, serviceSpecificationId: 'CFS_5G_ACCESS', characteristics: [] }],
      });
    }
  }
  return { productOrders, serviceOrders };
}

/** The fixture world of the order subgraph's tests. */
export function orderWorld(): World {
  const generated = generatedOrders();
  return partialWorld({
    offerings: [offering5g],
    productOrders: [...exampleOrders, ...generated.productOrders],
    serviceOrders: [...exampleServiceOrders, ...generated.serviceOrders],
  }, 'FIBRE-001');
}

/** Every product order of the fixture, newest first (ties by id descending), as the API lists them. */
export function productOrdersNewestFirst(world: World): WorldProductOrder[] {
  return [...world.productOrders].sort((a, b) => b.orderDate.getTime() - a.orderDate.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
