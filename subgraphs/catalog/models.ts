import mongoose, { Schema, type InferSchemaType } from 'mongoose';

// Enum spellings are the GraphQL ones (SCREAMING_SNAKE), so documents map to the API without translation.
const LIFECYCLE_STATUSES = ['IN_STUDY', 'IN_DESIGN', 'IN_TEST', 'ACTIVE', 'LAUNCHED', 'RETIRED', 'OBSOLETE', 'REJECTED'] as const;
const PRICE_TYPES = ['RECURRING', 'ONE_TIME', 'USAGE', 'ALLOWANCE', 'DISCOUNT', 'PENALTY'] as const;
const CHARGE_PERIODS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
const VALUE_TYPES = ['STRING', 'INTEGER', 'NUMBER', 'BOOLEAN', 'DATE_TIME'] as const;
const RESOURCE_CATEGORIES = [
  'SITE', 'GNB', 'CELL', 'NETWORK_SLICE', 'CORE_NETWORK_FUNCTION', 'ACCESS_ROUTER', 'AGGREGATION_ROUTER', 'CORE_ROUTER',
  'PORT', 'FIBRE_LINK', 'MICROWAVE_LINK', 'OLT', 'PON_PORT', 'SPLITTER', 'ONT', 'CPE',
] as const;

const timePeriodSchema = new Schema({ startDateTime: Date, endDateTime: Date }, { _id: false });
const refSchema = new Schema({ id: { type: String, required: true }, name: { type: String, required: true } }, { _id: false });

const priceSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    description: String,
    priceType: { type: String, enum: PRICE_TYPES, required: true },
    recurringChargePeriod: { type: String, enum: CHARGE_PERIODS },
    amount: { type: Number, required: true },
    currency: { type: String, required: true },
    unitOfMeasure: String,
    ratingGroup: String,
  },
  { _id: false },
);

const offeringSchema = new Schema(
  {
    _id: { type: String, required: true }, // the TMF id, e.g. 5G_PREMIUM: it is the federation key
    name: { type: String, required: true },
    description: String,
    isBundle: { type: Boolean, required: true, default: false },
    isSellable: { type: Boolean, required: true },
    lifecycleStatus: { type: String, enum: LIFECYCLE_STATUSES, required: true },
    category: { type: [refSchema], default: [] },
    productSpecificationId: { type: String, default: null },
    bundledProductOfferingIds: { type: [String], default: [] },
    prices: { type: [priceSchema], default: [] },
    serviceLevelAgreement: { type: refSchema, default: null },
    validFor: { type: timePeriodSchema, default: null },
  },
  { collection: 'productOfferings', timestamps: true, versionKey: false },
);
// `productOfferings(filter)` pages in `_id` order; each filter field leads an index ending in `_id`.
offeringSchema.index({ lifecycleStatus: 1, _id: 1 });
offeringSchema.index({ isSellable: 1, _id: 1 });
offeringSchema.index({ isBundle: 1, _id: 1 });
offeringSchema.index({ 'category.id': 1, _id: 1 });

const characteristicSpecSchema = new Schema(
  {
    name: { type: String, required: true },
    description: String,
    valueType: { type: String, enum: VALUE_TYPES, required: true },
    allowedValues: { type: [String], default: [] },
    defaultValue: { type: String, default: null },
    mandatory: { type: Boolean, required: true },
  },
  { _id: false },
);

const resourceSpecRefSchema = new Schema(
  {
    id: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String, enum: RESOURCE_CATEGORIES, required: true },
  },
  { _id: false },
);

const specificationSchema = new Schema(
  {
    _id: { type: String, required: true }, // e.g. PS-5G-PREMIUM
    name: { type: String, required: true },
    description: String,
    characteristics: { type: [characteristicSpecSchema], default: [] },
    serviceSpecifications: { type: [refSchema], default: [] },
    resourceSpecifications: { type: [resourceSpecRefSchema], default: [] },
  },
  { collection: 'productSpecifications', timestamps: true, versionKey: false },
);

/** A stored product offering as `lean()` returns it. */
export type OfferingDoc = InferSchemaType<typeof offeringSchema> & { _id: string };
/** A stored product specification as `lean()` returns it. */
export type SpecificationDoc = InferSchemaType<typeof specificationSchema> & { _id: string };

/** Binds the catalog subgraph's models to its own connection (never the global mongoose). */
export function createModels(conn: mongoose.Connection) {
  return {
    ProductOffering: conn.model('ProductOffering', offeringSchema),
    ProductSpecification: conn.model('ProductSpecification', specificationSchema),
  };
}

/** The catalog subgraph's models. */
export type Models = ReturnType<typeof createModels>;
