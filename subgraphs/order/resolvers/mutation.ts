import { cancelProductOrder, type CancelProductOrderInput } from '../activation/cancellation.js';
import { submitProductOrder } from '../submission/submit.js';
import type { SubmitProductOrderInput } from '../submission/input.js';
import type { OrderContext } from './context.js';

/** The order subgraph's mutation root. */
export const mutationResolvers = {
  Mutation: {
    submitProductOrder: (_root: unknown, { input }: { input: SubmitProductOrderInput }, ctx: OrderContext) => submitProductOrder(ctx, input),
    cancelProductOrder: (_root: unknown, { input }: { input: CancelProductOrderInput }, ctx: OrderContext) => cancelProductOrder(ctx, input),
  },
};
