import { DateTime } from '../../../kit/scalars.js';
import { ImpactedCustomerEdge } from './impact.js';
import { impactInternalQuery, ResourceSetImpact } from './impact-internal.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { ReservedCapacity, ServiceReservation } from './reservation.js';
import { Resource } from './resource.js';
import { Customer, Service } from './service.js';

/** The resolver map of the inventory subgraph. */
export const resolvers = { DateTime, Query: { ...Query, ...impactInternalQuery }, ResourceSetImpact, Mutation, Service, Customer, Resource, ImpactedCustomerEdge, ServiceReservation, ReservedCapacity };
