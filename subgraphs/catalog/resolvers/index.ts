import { DateTime } from '../../../kit/scalars.js';
import { offeringResolvers, specificationResolvers } from './entities.js';
import { queryResolvers } from './query.js';

/** The catalog subgraph's resolver map. */
export const resolvers = {
  DateTime,
  Query: queryResolvers,
  ProductOffering: offeringResolvers,
  ProductSpecification: specificationResolvers,
};
