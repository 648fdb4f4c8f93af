import { DateTime } from '../../../kit/scalars.js';
import { Alarm } from './alarm.js';
import { alarmImpactFields, impactResolvers } from './impact.js';
import { measurementMutations, serviceMeasurementFields } from './measurement.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Resource } from './resource.js';
import { customerSlaFields, serviceSlaFields, SlaViolation, slaQueries } from './sla.js';
import { subscriptionResolvers } from './subscription.js';

/** The assurance subgraph's resolver map. */
export const resolvers = {
  ...subscriptionResolvers,
  DateTime,
  Query: { ...Query, ...slaQueries },
  Mutation: { ...Mutation, ...measurementMutations },
  Alarm: { ...Alarm, ...alarmImpactFields },
  ...impactResolvers,
  Resource,
  Customer: { ...impactResolvers.Customer, ...customerSlaFields },
  Service: { ...impactResolvers.Service, ...serviceMeasurementFields, ...serviceSlaFields },
  SlaViolation,
};
