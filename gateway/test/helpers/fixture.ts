import { parse } from 'graphql';
import { GraphQLError } from '../../../kit/graphql-cjs.js';
import { composeSupergraph } from '../../../schema/compose.js';
import { channel, serveSubgraph, type TestSubgraph } from './subgraphs.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

/** Shaped like the product's order subscription, small enough to read in one glance. */
export const ORDER_SDL = `${LINK}
type Query { productOrder(id: ID!): ProductOrder }
type Subscription { productOrderStateChanged(productOrderId: ID!, after: String): ProductOrderStateChange! }
type ProductOrderStateChange { cursor: String! state: String! previousState: String productOrder: ProductOrder! }
type ProductOrder @key(fields: "id") { id: ID! state: String! customer: Customer! items: [Item!]! }
type Item { id: ID! service: Service }
type Customer @key(fields: "id", resolvable: false) { id: ID! }
type Service @key(fields: "id", resolvable: false) { id: ID! }`;

export const CUSTOMER_SDL = `${LINK}
type Query { customer(id: ID!): Customer }
type Customer @key(fields: "id") { id: ID! name: String! }`;

export const INVENTORY_SDL = `${LINK}
type Query { service(id: ID!): Service }
type Service @key(fields: "id") { id: ID! state: String! supportingResources: [Resource!]! }
type Resource @key(fields: "id") { id: ID! name: String! }`;

interface Change { cursor: string; state: string; previousState: string | null; productOrderId: string }

export interface Fixture {
  order: TestSubgraph;
  customer: TestSubgraph;
  inventory: TestSubgraph;
  supergraphSdl: string;
  urls: { order: string; customer: string; inventory: string };
  /** Moves an order to `state` and pushes the change to every subscriber of that order. */
  publish(orderId: string, state: string): void;
  /** Source streams open in the order subgraph (the gateway's upstream subscriptions). */
  openStreams(): number;
  /** Delays (ms) for the next customer entity fetches, consumed one per fetch. */
  customerDelays: number[];
  /** Call numbers of customer entity fetches in the order they finished. */
  customerFinished: number[];
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFixture(): Promise<Fixture> {
  const orders = new Map([['PO-1', { id: 'PO-1', state: 'ACKNOWLEDGED', customerId: 'C-1', items: [{ id: '1', serviceId: 'svc-1' }] }]]);
  const streams = new Map<string, Set<(c: Change) => void>>();
  let open = 0;
  let seq = 0;
  let customerCalls = 0;
  const customerDelays: number[] = [];
  const customerFinished: number[] = [];

  const order = await serveSubgraph('order', ORDER_SDL, {
    Query: { productOrder: (_: unknown, { id }: { id: string }) => orders.get(id) },
    Subscription: {
      productOrderStateChanged: {
        subscribe: (_: unknown, { productOrderId }: { productOrderId: string }) => {
          if (!orders.has(productOrderId)) throw new GraphQLError(`product order '${productOrderId}' not found`, { extensions: { code: 'NOT_FOUND' } });
          const subscribers = streams.get(productOrderId) ?? new Set();
          streams.set(productOrderId, subscribers);
          open++;
          const { push, iterator } = channel<Change>(() => {
            open--;
            subscribers.delete(push);
          });
          subscribers.add(push);
          return iterator;
        },
        resolve: (change: Change) => change,
      },
    },
    ProductOrderStateChange: { productOrder: (c: Change) => orders.get(c.productOrderId) },
    ProductOrder: {
      __resolveReference: (ref: { id: string }) => orders.get(ref.id),
      customer: (o: { customerId: string }) => ({ id: o.customerId }),
      items: (o: { items: { id: string; serviceId: string }[] }) => o.items.map((i) => ({ id: i.id, service: { id: i.serviceId } })),
    },
  }, // Variables keep the client's names (the planner forwards them), so look at the values.
  (variables) => (Object.values(variables).includes('REFUSED') ? [new GraphQLError('not allowed to watch this order', { extensions: { code: 'FORBIDDEN' } })] : undefined));

  const customer = await serveSubgraph('customer', CUSTOMER_SDL, {
    Customer: {
      __resolveReference: async (ref: { id: string }) => {
        const call = ++customerCalls;
        await sleep(customerDelays.shift() ?? 0);
        customerFinished.push(call);
        return { id: ref.id, name: `Customer ${ref.id}` };
      },
    },
  });

  const inventory = await serveSubgraph('inventory', INVENTORY_SDL, {
    Service: {
      __resolveReference: (ref: { id: string }) => ({ id: ref.id, state: 'ACTIVE', supportingResources: [{ id: 'gNB-001', name: 'gNodeB 001' }] }),
    },
  });

  const subgraphs = [order, customer, inventory];
  const supergraphSdl = composeSupergraph(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  return {
    order,
    customer,
    inventory,
    supergraphSdl,
    urls: { order: order.url, customer: customer.url, inventory: inventory.url },
    publish(orderId, state) {
      const o = orders.get(orderId)!;
      const change: Change = { cursor: String(++seq), state, previousState: o.state, productOrderId: orderId };
      o.state = state;
      for (const push of streams.get(orderId) ?? []) push(change);
    },
    openStreams: () => open,
    customerDelays,
    customerFinished,
    stop: async () => {
      await Promise.all(subgraphs.map((s) => s.stop()));
    },
  };
}
