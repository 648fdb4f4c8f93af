import { DateTime } from '../../../kit/scalars.js';
import { customerResolvers, partyResolvers } from './customer.js';
import { queryResolvers } from './query.js';
import { tallyQuery } from '../tally/resolvers.js';

/** The customer subgraph's resolver map. */
export const resolvers = {
  DateTime,
  Query: { ...queryResolvers, ...tallyQuery },
  Customer: customerResolvers,
  Party: partyResolvers,
};
