import type { ADAPTER_NAMES, SAGA_STEPS } from './models.js';

/** A network element manager the saga configures resources through. */
export type AdapterName = (typeof ADAPTER_NAMES)[number];
/** A step of the activation saga. */
export type SagaStep = (typeof SAGA_STEPS)[number];

/** The order a network call is made for: what fault rules match on and logs name. */
export interface ActivationOrderRef {
  productOrderId: string | null;
  serviceOrderId: string;
  /** The client's idempotency key of the product order. */
  externalId: string | null;
  customerId: string;
  productOfferingId?: string | null;
}

/** Configure one resource for one service. */
export interface ConfigureRequest {
  /** '<serviceOrderId>/<itemId>/<resourceId>': the element applies a key at most once. */
  key: string;
  resourceId: string;
  /** The resource's TMF639 category (GNB, NETWORK_SLICE, OLT, …): picks the adapter. */
  category: string;
  serviceId: string;
  characteristics: { name: string; value: string }[];
  order: ActivationOrderRef;
}

/**
 * One network element manager (an EMS for the RAN, an SDN controller for slices and VPNs, an OLT
 * manager for fibre). Both calls are idempotent by `key`, so a saga step re-run after a crash is
 * harmless. A real EMS/SDN client implements this same interface.
 */
export interface NetworkAdapter {
  readonly name: AdapterName;
  /** Applies the configuration; throws AdapterError when the element refuses or fails. */
  configure(req: ConfigureRequest): Promise<void>;
  /** Removes what `configure` applied; a no-op when nothing was applied. */
  rollback(req: ConfigureRequest): Promise<void>;
}

export type NetworkAdapters = Record<AdapterName, NetworkAdapter>;

/** A failure reported by the network (or injected): `retryable` ones may succeed if tried again. */
export class AdapterError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'AdapterError';
  }
}

/** The test and chaos hook the saga consults before each step. */
export interface FaultInjector {
  /** Throws AdapterError (FAIL) or waits (DELAY) when a stored rule matches the order and step. */
  before(step: SagaStep, order: ActivationOrderRef): Promise<void>;
}
