import { DateTime } from '../../../kit/scalars.js';
import { customerResolvers, partyResolvers } from './customer.js';
import { queryResolvers } from './query.js';

/** The customer subgraph's resolver map. */
export const resolvers = {
  DateTime,
  Query: queryResolvers,
  Customer: customerResolvers,
  Party: partyResolvers,
};
