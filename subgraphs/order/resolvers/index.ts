import { DateTime } from '../../../kit/scalars.js';
import { customerResolvers } from './customer.js';
import { mutationResolvers } from './mutation.js';
import { productOrderResolvers } from './product-order.js';
import { queryResolvers } from './query.js';
import { serviceOrderResolvers } from './service-order.js';
import { subscriptionResolvers } from './subscription.js';

/** Every resolver of the order subgraph, keyed by type. */
export const resolvers = {
  DateTime,
  ...queryResolvers,
  ...mutationResolvers,
  ...subscriptionResolvers,
  ...customerResolvers,
  ...productOrderResolvers,
  ...serviceOrderResolvers,
};
