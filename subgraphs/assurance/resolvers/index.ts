import { DateTime } from '../../../kit/scalars.js';
import { Alarm } from './alarm.js';
import { Query } from './query.js';
import { Resource } from './resource.js';

/** The assurance subgraph's resolver map. */
export const resolvers = { DateTime, Query, Alarm, Resource };
