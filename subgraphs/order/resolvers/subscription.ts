import { badUserInput, notFound } from '../../../kit/errors.js';
import { OrderEventFeed, type FeedSubject } from '../event-feed.js';
import { createLoaders } from '../loaders.js';
import type { OrderEventDoc } from '../models.js';
import { subscriptionReads } from '../subscription-reads.js';
import type { OrderContext } from './context.js';

/**
 * The state change streams of the order subgraph. Product and service orders work alike: the
 * order's history is replayed, then live events follow, each with a cursor to resume after. Only
 * the event field naming the order, the cursor's prefix and the lookup of the order differ.
 */
interface OrderStream {
  key: FeedSubject['key'];
  /** Cursor prefix: a cursor of one stream is refused by the other. */
  prefix: string;
  what: string;
  exists(ctx: OrderContext, id: string): Promise<boolean>;
}

const reads = (ctx: OrderContext) => subscriptionReads(ctx.models);

const PRODUCT_ORDERS: OrderStream = {
  key: 'productOrderId',
  prefix: 'ProductOrderStateChange',
  what: 'product order',
  exists: async (ctx, id) => (await reads(ctx).productOrder.load(id)) !== null,
};
const SERVICE_ORDERS: OrderStream = {
  key: 'serviceOrderId',
  prefix: 'ServiceOrderStateChange',
  what: 'service order',
  exists: async (ctx, id) => (await reads(ctx).serviceOrder.load(id)) !== null,
};

/** The opaque cursor of an order's event: its position (version) in that order's history. */
function encodeCursor(stream: OrderStream, orderId: string, version: number): string {
  return Buffer.from(`${stream.prefix}:${version}:${orderId}`).toString('base64url');
}

/** The cursor of a product order's event (tests and other modules build expected cursors with it). */
export const encodeStateCursor = (productOrderId: string, version: number): string => encodeCursor(PRODUCT_ORDERS, productOrderId, version);

/** The version `after` points at; BAD_USER_INPUT unless it is a cursor of this order's events. */
function afterVersion(stream: OrderStream, after: string, orderId: string): number {
  const match = /^(\w+):(\d+):(.*)$/s.exec(Buffer.from(after, 'base64url').toString());
  if (!match || match[1] !== stream.prefix || match[3] !== orderId) throw badUserInput('after', `'${after}' is not a cursor of ${stream.what} '${orderId}'`);
  return Number(match[2]);
}

/** `subscribe` + `resolve` of one stream's subscription field. */
function subscription(stream: OrderStream, idArg: 'productOrderId' | 'serviceOrderId') {
  return {
    // Everything that can refuse the subscription happens before the stream is returned, so a
    // refusal reaches the client as a graphql-ws `error` message (see kit/ws.ts).
    subscribe: async (_root: unknown, args: Record<string, string | null | undefined>, ctx: OrderContext) => {
      const id = args[idArg]!;
      const after = args.after ? afterVersion(stream, args.after, id) : 0;
      if (!(await stream.exists(ctx, id))) throw notFound(stream.what, id);
      return OrderEventFeed.open(ctx.models, { key: stream.key, id }, after);
    },
    resolve: (event: OrderEventDoc, _args: unknown, ctx: OrderContext) => {
      // A subscription keeps one context for its whole life; fresh loaders per event make what
      // the event leads to show as it is now, not as the first event cached it.
      ctx.loaders = createLoaders(ctx.models, ctx.config);
      return event;
    },
  };
}

/** A service order event's kind, in the API's spelling. */
const SERVICE_ORDER_EVENT_TYPES: Record<string, string> = {
  ServiceOrderCreateEvent: 'CREATE',
  ServiceOrderStateChangeEvent: 'STATE_CHANGE',
  ServiceOrderJeopardyEvent: 'JEOPARDY',
};

/** The order subgraph's subscription root and the event types it streams. */
export const subscriptionResolvers = {
  Subscription: {
    productOrderStateChanged: subscription(PRODUCT_ORDERS, 'productOrderId'),
    serviceOrderStateChanged: subscription(SERVICE_ORDERS, 'serviceOrderId'),
  },
  ProductOrderStateChange: {
    cursor: (event: OrderEventDoc) => encodeCursor(PRODUCT_ORDERS, event.productOrderId!, event.version),
    // Read with every other subscription's event of the moment, after the event arrived: the order as it is now.
    productOrder: (event: OrderEventDoc, _args: unknown, ctx: OrderContext) => reads(ctx).productOrder.load(event.productOrderId!),
  },
  ServiceOrderStateChange: {
    cursor: (event: OrderEventDoc) => encodeCursor(SERVICE_ORDERS, event.serviceOrderId!, event.version),
    eventType: (event: OrderEventDoc) => SERVICE_ORDER_EVENT_TYPES[event.eventType],
    jeopardyAlert: (event: OrderEventDoc) => event.jeopardyAlert ?? null,
    serviceOrder: (event: OrderEventDoc, _args: unknown, ctx: OrderContext) => reads(ctx).serviceOrder.load(event.serviceOrderId!),
  },
};
