import { badUserInput, notFound } from '../../../kit/errors.js';
import { OrderEventFeed } from '../event-feed.js';
import { createLoaders } from '../loaders.js';
import type { OrderEventDoc } from '../models.js';
import type { OrderContext } from './context.js';

const CURSOR_PREFIX = 'ProductOrderStateChange:';

/** The opaque cursor of an order's event: its position (version) in that order's history. */
export function encodeStateCursor(productOrderId: string, version: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${version}:${productOrderId}`).toString('base64url');
}

/** The version `after` points at; BAD_USER_INPUT unless it is a cursor of this order's events. */
function afterVersion(after: string, productOrderId: string): number {
  const match = /^ProductOrderStateChange:(\d+):(.*)$/s.exec(Buffer.from(after, 'base64url').toString());
  if (!match || match[2] !== productOrderId) throw badUserInput('after', `'${after}' is not a cursor of product order '${productOrderId}'`);
  return Number(match[1]);
}

interface StateChangeArgs {
  productOrderId: string;
  after?: string | null;
}

/** The order subgraph's subscription root and the event type it streams. */
export const subscriptionResolvers = {
  Subscription: {
    productOrderStateChanged: {
      // Everything that can refuse the subscription happens before the stream is returned, so a
      // refusal reaches the client as a graphql-ws `error` message (see kit/ws.ts).
      subscribe: async (_root: unknown, args: StateChangeArgs, ctx: OrderContext) => {
        const after = args.after ? afterVersion(args.after, args.productOrderId) : 0;
        if (!(await ctx.loaders.productOrderById.load(args.productOrderId))) throw notFound('product order', args.productOrderId);
        return OrderEventFeed.open(ctx.models, args.productOrderId, after);
      },
      resolve: (event: OrderEventDoc, _args: unknown, ctx: OrderContext) => {
        // A subscription keeps one context for its whole life; fresh loaders per event make
        // `productOrder { … }` show the order as it is now, not as the first event cached it.
        ctx.loaders = createLoaders(ctx.models, ctx.config);
        return event;
      },
    },
  },
  ProductOrderStateChange: {
    cursor: (event: OrderEventDoc) => encodeStateCursor(event.productOrderId, event.version),
    productOrder: (event: OrderEventDoc, _args: unknown, ctx: OrderContext) => ctx.loaders.productOrderById.load(event.productOrderId),
  },
};
