import { DateTime } from '../../../kit/scalars.js';
import { billResolvers } from './bill.js';
import { billingAccountResolvers } from './billing-account.js';
import { chargeAndPaymentResolvers } from './charge-payment.js';
import { queryResolvers } from './query.js';
import { revenueAssuranceResolvers } from './revenue-assurance.js';
import { serviceResolvers } from './service.js';

/** Every resolver of the billing subgraph, keyed by type. */
export const resolvers = {
  DateTime,
  Query: { ...queryResolvers.Query, ...revenueAssuranceResolvers.Query },
  Mutation: revenueAssuranceResolvers.Mutation,
  UnbilledService: revenueAssuranceResolvers.UnbilledService,
  ...billingAccountResolvers,
  ...billResolvers,
  ...chargeAndPaymentResolvers,
  ...serviceResolvers,
};
