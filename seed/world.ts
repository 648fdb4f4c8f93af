/**
 * The demo operator as plain data: one deterministic description of customers, catalog, orders,
 * billing, network inventory and faults. `generateWorld` (generate.ts) builds it from a seeded
 * RNG; each subgraph's `seed.ts` stores its own part through its own models, so the seed never
 * writes another subgraph's database. Ids are stable strings shared across subgraphs: they are
 * the federation keys.
 */

export type Scale = 'small' | 'large';

export type Segment = 'CONSUMER' | 'ENTERPRISE';
export type SlaTier = 'BRONZE' | 'SILVER' | 'GOLD' | 'PLATINUM';
export type OrderState = 'ACKNOWLEDGED' | 'REJECTED' | 'PENDING' | 'HELD' | 'IN_PROGRESS' | 'CANCELLED' | 'COMPLETED' | 'FAILED' | 'PARTIAL';
export type ServiceState = 'FEASIBILITY_CHECKED' | 'DESIGNED' | 'RESERVED' | 'INACTIVE' | 'ACTIVE' | 'TERMINATED';
export type Severity = 'CRITICAL' | 'MAJOR' | 'MINOR' | 'WARNING' | 'INDETERMINATE' | 'CLEARED';
export type ResourceCategory =
  | 'SITE' | 'GNB' | 'CELL' | 'NETWORK_SLICE' | 'CORE_NETWORK_FUNCTION' | 'ACCESS_ROUTER' | 'AGGREGATION_ROUTER' | 'CORE_ROUTER'
  | 'PORT' | 'FIBRE_LINK' | 'MICROWAVE_LINK' | 'OLT' | 'PON_PORT' | 'SPLITTER' | 'ONT' | 'CPE';

export interface Characteristic { name: string; value: string }

export interface WorldCustomer {
  id: string; // e.g. CUST-789
  name: string;
  segment: Segment;
  slaTier: SlaTier | null; // null for consumers without an SLA
  status: 'PROSPECT' | 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
  individual?: { givenName: string; familyName: string; birthDate: string };
  organization?: { name: string; tradingName: string; isLegalEntity: boolean };
  email: string;
  phone: string;
  address: { street: string; city: string; postCode: string; country: string };
  creditScore: number;
  createdAt: Date;
}

export interface WorldInteraction {
  id: string;
  customerId: string;
  channel: 'PHONE' | 'EMAIL' | 'SMS' | 'WEB' | 'STORE' | 'SYSTEM';
  direction: 'INBOUND' | 'OUTBOUND';
  reason: string;
  description: string;
  createdAt: Date;
  /** Entities the interaction is about, e.g. `{ id: 'PO-000001', referredType: 'ProductOrder' }`. */
  relatedEntity?: { id: string; referredType: string; role?: string }[];
}

export interface WorldPrice {
  id: string;
  name: string;
  priceType: 'RECURRING' | 'ONE_TIME' | 'USAGE';
  recurringChargePeriod?: 'MONTH';
  amount: number;
  currency: string;
  unitOfMeasure?: string; // e.g. GB for usage
  ratingGroup?: string; // e.g. DATA_5G_PREMIUM
}

export interface WorldOffering {
  id: string; // e.g. 5G_PREMIUM
  name: string;
  description: string;
  isSellable: boolean;
  /** TMF620: only LAUNCHED offerings can be ordered. */
  lifecycleStatus: 'LAUNCHED' | 'RETIRED';
  category: string;
  specification: {
    id: string;
    name: string;
    characteristics: { name: string; valueType: 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN'; allowedValues: string[]; defaultValue?: string; mandatory: boolean }[];
    serviceSpecifications: { id: string; name: string }[];
    resourceSpecifications: { id: string; name: string; category: ResourceCategory }[];
  };
  prices: WorldPrice[];
  serviceLevelAgreement?: string;
}

export interface WorldOrderItem {
  id: string;
  action: 'ADD' | 'MODIFY' | 'DELETE' | 'NO_CHANGE';
  productOfferingId: string;
  characteristics: Characteristic[];
  state: OrderState;
  serviceId: string | null;
}

export interface WorldProductOrder {
  id: string;
  externalId: string; // the client's idempotency key
  customerId: string;
  billingAccountId: string;
  state: OrderState;
  priority: number;
  orderDate: Date;
  completionDate: Date | null;
  items: WorldOrderItem[];
  /** Order notes (TMF622 `note[]`), e.g. why an order was rejected or failed. */
  notes?: { author: string; date: Date; text: string }[];
}

export interface WorldServiceOrder {
  id: string;
  productOrderId: string;
  state: OrderState;
  orderDate: Date;
  completionDate: Date | null;
  items: { id: string; productOrderItemId: string; action: WorldOrderItem['action']; state: OrderState; serviceId: string; serviceSpecificationId: string; characteristics: Characteristic[] }[];
  /** Why items failed (TMF641 `errorMessage[]`); `itemId` is a service order item id. */
  errorMessages?: { code: string; message: string; timestamp: Date; itemId: string | null }[];
}

export interface WorldService {
  id: string; // e.g. svc-5g-001
  name: string;
  category: 'CUSTOMER_FACING' | 'RESOURCE_FACING';
  state: ServiceState;
  customerId: string | null;
  productOfferingId: string | null;
  serviceSpecificationId: string;
  characteristics: Characteristic[];
  activatedAt: Date | null;
  supportingResourceIds: string[];
  supportingServiceIds: string[];
}

export interface WorldResource {
  id: string; // e.g. gNB-001
  name: string;
  category: ResourceCategory;
  /** Resources this one relies on (upward in the topology: port → router → fibre). */
  reliesOn: string[];
  /** The resource this one is part of (cell bundled in gNB, gNB in site). */
  bundledIn: string | null;
  placeId: string | null;
  /** Human name of `placeId` (a site, a central office or a customer's premises). */
  placeName?: string;
  characteristics: { name: string; value: string; unit?: string }[];
  capacity: { total: number; used: number; unit: string } | null;
  administrativeState: 'LOCKED' | 'UNLOCKED' | 'SHUTDOWN';
  operationalState: 'ENABLE' | 'DISABLE';
  usageState: 'IDLE' | 'ACTIVE' | 'BUSY';
  resourceStatus: 'STANDBY' | 'ALARM' | 'AVAILABLE' | 'RESERVED' | 'UNKNOWN' | 'SUSPENDED';
}

export interface WorldCharge {
  id: string;
  chargeType: 'RECURRING' | 'ONE_TIME' | 'USAGE';
  description: string;
  amount: number;
  currency: string;
  startDate: Date; // = the service's activatedAt for recurring charges
  endDate: Date | null;
  productOfferingId: string;
  serviceId: string;
  state: 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
}

export interface WorldBill {
  id: string;
  billNo: string;
  billDate: Date;
  periodStart: Date;
  periodEnd: Date;
  paymentDueDate: Date;
  amountDue: number;
  remainingAmount: number;
  taxExcludedAmount: number;
  taxIncludedAmount: number;
  taxRate: number;
  state: 'NEW' | 'ON_HOLD' | 'VALIDATED' | 'SENT' | 'PARTIALLY_PAID' | 'SETTLED';
  lines: { id: string; type: 'CHARGE' | 'CREDIT' | 'PENALTY'; description: string; taxExcludedAmount: number; taxIncludedAmount: number; serviceId: string | null }[];
}

export interface WorldBillingAccount {
  id: string;
  customerId: string;
  name: string;
  currency: string;
  balance: number;
  state: 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
  paymentMethod: 'BANK_ACCOUNT_DEBIT' | 'BANK_ACCOUNT_TRANSFER' | 'BANK_CARD' | 'DIGITAL_WALLET';
  charges: WorldCharge[];
  bills: WorldBill[];
  payments: { id: string; paymentDate: Date; amount: number; status: 'PENDING' | 'AUTHORIZED' | 'SUCCEEDED' | 'FAILED'; authorizationCode: string; billId: string | null }[];
}

export interface WorldAlarm {
  id: string;
  externalAlarmId: string;
  sourceSystemId: string;
  resourceId: string;
  alarmType: 'COMMUNICATIONS_ALARM' | 'PROCESSING_ERROR_ALARM' | 'ENVIRONMENTAL_ALARM' | 'QUALITY_OF_SERVICE_ALARM' | 'EQUIPMENT_ALARM';
  perceivedSeverity: Severity;
  probableCause: string;
  specificProblem: string;
  state: 'RAISED' | 'UPDATED' | 'CLEARED';
  ackState: 'ACKNOWLEDGED' | 'UNACKNOWLEDGED';
  raisedAt: Date;
  changedAt: Date;
  clearedAt: Date | null;
  serviceAffecting: boolean;
  isRootCause: boolean;
  parentAlarmId: string | null;
  /** For threshold (quality-of-service) alarms: what was crossed (TMF642 crossedThresholdInformation). */
  crossedThreshold?: { threshold: string; direction: 'UP' | 'DOWN'; indicatorName: string; indicatorUnit?: string; observedValue: string; granularity: WorldMeasurement['granularity'] };
}

export interface WorldMeasurement {
  resourceId: string;
  indicator: 'PRB_UTILISATION' | 'LATENCY' | 'JITTER' | 'PACKET_LOSS' | 'THROUGHPUT';
  unit: string;
  granularity: 'G_15MN';
  at: Date;
  value: number;
}

export interface World {
  scale: Scale;
  customers: WorldCustomer[];
  interactions: WorldInteraction[];
  offerings: WorldOffering[];
  productOrders: WorldProductOrder[];
  serviceOrders: WorldServiceOrder[];
  services: WorldService[];
  resources: WorldResource[];
  billingAccounts: WorldBillingAccount[];
  alarms: WorldAlarm[];
  measurements: WorldMeasurement[];
  /** Landmarks tests and benchmarks rely on. */
  landmarks: {
    /** The fibre link with the most customers behind it (≥ 10,000 at large scale). */
    bigFibreLinkId: string;
    /** CUST-789's seed-document example. */
    exampleCustomerId: 'CUST-789';
    exampleServiceId: 'svc-5g-001';
  };
}
