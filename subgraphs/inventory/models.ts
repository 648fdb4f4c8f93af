import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { createFulfilmentModels, type FulfilmentModels } from './fulfilment/models.js';

const SERVICE_STATES = ['FEASIBILITY_CHECKED', 'DESIGNED', 'RESERVED', 'INACTIVE', 'ACTIVE', 'TERMINATED'] as const;
const SERVICE_CATEGORIES = ['CUSTOMER_FACING', 'RESOURCE_FACING'] as const;
const RESOURCE_CATEGORIES = [
  'SITE', 'GNB', 'CELL', 'NETWORK_SLICE', 'CORE_NETWORK_FUNCTION', 'ACCESS_ROUTER', 'AGGREGATION_ROUTER', 'CORE_ROUTER',
  'PORT', 'FIBRE_LINK', 'MICROWAVE_LINK', 'OLT', 'PON_PORT', 'SPLITTER', 'ONT', 'CPE',
] as const;

/**
 * The one state in which a service is in service, so a fault can hurt it: designed, reserved
 * or inactive services deliver nothing yet, terminated ones released their resources.
 */
export const IN_SERVICE_STATE = 'ACTIVE';

const characteristicSchema = new Schema({ name: { type: String, required: true }, value: { type: String, required: true } }, { _id: false });

const serviceSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String, enum: SERVICE_CATEGORIES, required: true },
    state: { type: String, enum: SERVICE_STATES, required: true },
    // Denormalised TMF ServiceSpecificationRef: the reference carries its name, as in TMF638.
    serviceSpecification: { type: new Schema({ id: { type: String, required: true }, name: { type: String, required: true } }, { _id: false }), required: true },
    characteristics: { type: [characteristicSchema], default: [] },
    activatedAt: { type: Date, default: null },
    startDate: { type: Date, default: null },
    endDate: { type: Date, default: null },
    isServiceEnabled: { type: Boolean, required: true },
    customerId: { type: String, default: null },
    productOfferingId: { type: String, default: null },
    // Stored order is meaningful: `supportingResources` returns them in this order.
    supportingResourceIds: { type: [String], default: [] },
    supportingServiceIds: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
// Customer.services batches by customer and lists oldest first.
serviceSchema.index({ customerId: 1, createdAt: 1 });
// Impact walks: which services run on these resources / are built on these services (multikey).
serviceSchema.index({ supportingResourceIds: 1 });
serviceSchema.index({ supportingServiceIds: 1 });
serviceSchema.index({ state: 1 });
serviceSchema.index({ category: 1 });
serviceSchema.index({ productOfferingId: 1 });

const resourceSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String, enum: RESOURCE_CATEGORIES, required: true },
    resourceSpecification: {
      type: new Schema({ id: { type: String, required: true }, name: { type: String, required: true }, category: { type: String, enum: RESOURCE_CATEGORIES, required: true } }, { _id: false }),
      default: null,
    },
    characteristics: {
      type: [new Schema({ name: { type: String, required: true }, value: { type: String, required: true }, unit: { type: String, default: null } }, { _id: false })],
      default: [],
    },
    capacity: {
      type: new Schema({ total: { type: Number, required: true }, used: { type: Number, required: true }, unit: { type: String, required: true } }, { _id: false }),
      default: null,
    },
    administrativeState: { type: String, enum: ['LOCKED', 'UNLOCKED', 'SHUTDOWN'], required: true },
    operationalState: { type: String, enum: ['ENABLE', 'DISABLE'], required: true },
    usageState: { type: String, enum: ['IDLE', 'ACTIVE', 'BUSY'], required: true },
    resourceStatus: { type: String, enum: ['STANDBY', 'ALARM', 'AVAILABLE', 'RESERVED', 'UNKNOWN', 'SUSPENDED'], required: true },
    // Denormalised place reference (id + display name), like TMF639's RelatedPlaceRef.
    place: { type: new Schema({ id: { type: String, required: true }, name: { type: String, required: true } }, { _id: false }), default: null },
    /** Resources this one needs (upward: port → router → fibre); failures propagate down along it. */
    reliesOn: { type: [String], default: [] },
    /** The resource containing this one (cell in gNB, gNB in site). */
    bundledIn: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);
// Downstream walks ask "who relies on / is bundled in these?" level by level (multikey).
resourceSchema.index({ reliesOn: 1 });
resourceSchema.index({ bundledIn: 1 });
resourceSchema.index({ category: 1 });

/** A stored service (TMF638), `_id` = the TMF id, e.g. `svc-5g-001`. */
export type ServiceDoc = InferSchemaType<typeof serviceSchema> & { _id: string };
/** A stored resource (TMF639), `_id` = the TMF id, e.g. `gNB-001`. */
export type ResourceDoc = InferSchemaType<typeof resourceSchema> & { _id: string };

/** The inventory subgraph's models, bound to its own connection: the inventory, plus reservations and the outbox. */
export interface Models extends FulfilmentModels {
  Service: mongoose.Model<ServiceDoc>;
  Resource: mongoose.Model<ResourceDoc>;
}

/** Binds the inventory models to the subgraph's own connection (never the global mongoose). */
export function createModels(conn: mongoose.Connection): Models {
  return {
    Service: conn.model<ServiceDoc>('Service', serviceSchema, 'services'),
    Resource: conn.model<ResourceDoc>('Resource', resourceSchema, 'resources'),
    ...createFulfilmentModels(conn),
  };
}

/** What a topology watcher reports. */
export interface TopologyWatch {
  /** Both change streams are open: every later write will be reported. */
  onOpen(): void;
  /** A service or resource was written. */
  onChange(): void;
  /** A stream failed or closed (connection closed, no replica set): writes are no longer seen. */
  onLost(): void;
}

/**
 * Watches the `services` and `resources` collections through change streams, so every
 * instance of the subgraph hears of writes made by any instance.
 */
export function watchTopology(models: Models, watch: TopologyWatch): void {
  let opened = 0;
  let lost = false;
  const lose = () => {
    if (!lost) watch.onLost();
    lost = true;
  };
  for (const stream of [models.Service.watch(), models.Resource.watch()]) {
    // The first resume token arrives once the stream's cursor is open on the server.
    stream.once('resumeTokenChanged', () => {
      opened += 1;
      if (opened === 2 && !lost) watch.onOpen();
    });
    stream.on('change', () => watch.onChange());
    stream.on('error', lose);
    stream.on('close', lose);
  }
}

