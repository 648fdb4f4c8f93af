import { DateTime } from '../../../kit/scalars.js';
import { billResolvers } from './bill.js';
import { billingAccountResolvers } from './billing-account.js';
import { chargeAndPaymentResolvers } from './charge-payment.js';
import { queryResolvers } from './query.js';
import { serviceResolvers } from './service.js';

/** Every resolver of the billing subgraph, keyed by type. */
export const resolvers = {
  DateTime,
  ...queryResolvers,
  ...billingAccountResolvers,
  ...billResolvers,
  ...chargeAndPaymentResolvers,
  ...serviceResolvers,
};
