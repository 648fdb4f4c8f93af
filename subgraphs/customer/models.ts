import mongoose, { Schema, type InferSchemaType } from 'mongoose';

// Enum spellings are the GraphQL ones (SCREAMING_SNAKE), so documents map to the API without translation.
const CUSTOMER_STATUSES = ['PROSPECT', 'ACTIVE', 'SUSPENDED', 'CLOSED'] as const;
const SEGMENTS = ['CONSUMER', 'ENTERPRISE'] as const;
const SLA_TIERS = ['BRONZE', 'SILVER', 'GOLD', 'PLATINUM'] as const;
const PARTY_TYPES = ['INDIVIDUAL', 'ORGANIZATION'] as const;
const MEDIUM_TYPES = ['EMAIL', 'PHONE', 'POSTAL_ADDRESS'] as const;
const CHANNELS = ['PHONE', 'EMAIL', 'SMS', 'WEB', 'MOBILE_APP', 'STORE', 'CHAT', 'SYSTEM'] as const;
const DIRECTIONS = ['INBOUND', 'OUTBOUND'] as const;

const timePeriodSchema = new Schema({ startDateTime: Date, endDateTime: Date }, { _id: false });

/** TMF632 party, flattened: `partyType` says which of the Individual / Organization fields apply. */
const engagedPartySchema = new Schema(
  {
    partyType: { type: String, enum: PARTY_TYPES, required: true },
    givenName: String,
    familyName: String,
    birthDate: Date,
    name: String,
    tradingName: String,
    isLegalEntity: Boolean,
  },
  { _id: false },
);

const contactMediumSchema = new Schema(
  {
    mediumType: { type: String, enum: MEDIUM_TYPES, required: true },
    preferred: { type: Boolean, required: true, default: false },
    emailAddress: String,
    phoneNumber: String,
    street: String,
    city: String,
    postCode: String,
    country: String,
  },
  { _id: false },
);

const creditProfileSchema = new Schema(
  {
    creditProfileDate: { type: Date, required: true },
    creditRiskRating: Number,
    creditScore: Number,
    validFor: { type: timePeriodSchema, default: null },
  },
  { _id: false },
);

const customerSchema = new Schema(
  {
    _id: { type: String, required: true }, // the TMF id, e.g. CUST-789: it is the federation key
    name: { type: String, required: true },
    status: { type: String, enum: CUSTOMER_STATUSES, required: true },
    segment: { type: String, enum: SEGMENTS, required: true },
    slaTier: { type: String, enum: SLA_TIERS, default: null },
    engagedParty: { type: engagedPartySchema, required: true },
    contactMedium: { type: [contactMediumSchema], default: [] },
    creditProfile: { type: [creditProfileSchema], default: [] },
    validFor: { type: timePeriodSchema, default: null },
  },
  { collection: 'customers', timestamps: true, versionKey: false },
);
// `customers(filter)` pages in `_id` order; each filter field leads an index that ends in `_id`
// so a filtered page is an index scan in the connection's order.
customerSchema.index({ segment: 1, _id: 1 });
customerSchema.index({ slaTier: 1, _id: 1 });
customerSchema.index({ status: 1, _id: 1 });

const relatedEntitySchema = new Schema(
  { id: { type: String, required: true }, referredType: { type: String, required: true }, role: String },
  { _id: false },
);

const interactionSchema = new Schema(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    direction: { type: String, enum: DIRECTIONS, required: true },
    reason: { type: String, required: true },
    description: String,
    // When the interaction happened (domain time), not when the document was written: no `timestamps`.
    createdAt: { type: Date, required: true },
    relatedEntity: { type: [relatedEntitySchema], default: [] },
  },
  { collection: 'interactions', versionKey: false },
);
// `Customer.interactions` batch-loads by customer, newest first, ties broken by id.
interactionSchema.index({ customerId: 1, createdAt: -1, _id: 1 });

/** A stored customer as `lean()` returns it. */
export type CustomerDoc = InferSchemaType<typeof customerSchema> & { _id: string };
/** A stored CRM interaction as `lean()` returns it. */
export type InteractionDoc = InferSchemaType<typeof interactionSchema> & { _id: string };

/** Binds the customer subgraph's models to its own connection (never the global mongoose). */
export function createModels(conn: mongoose.Connection) {
  return {
    Customer: conn.model('Customer', customerSchema),
    Interaction: conn.model('Interaction', interactionSchema),
  };
}

/** The customer subgraph's models. */
export type Models = ReturnType<typeof createModels>;
