import { DateTime } from '../../../kit/scalars.js';
import { ImpactedCustomerEdge } from './impact.js';
import { Query } from './query.js';
import { Resource } from './resource.js';
import { Customer, Service } from './service.js';

/** The resolver map of the inventory subgraph. */
export const resolvers = { DateTime, Query, Service, Customer, Resource, ImpactedCustomerEdge };
