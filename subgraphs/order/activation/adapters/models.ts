import { Schema, type Connection, type InferRawDocTypeFromSchema } from 'mongoose';
import type { Plain } from '../../../../kit/lean.js';

/** Saga steps a fault rule can target (the order in which the saga runs them). */
export const SAGA_STEPS = ['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION'] as const;
/** The simulated network element managers, one per technology. */
export const ADAPTER_NAMES = ['EMS', 'SDN', 'OLT'] as const;

/**
 * A fault the simulated network injects (tests, demos, chaos runs): every order matching `match`
 * fails (or is delayed) at `step`. Stored, not configured in memory, so a restarted or second
 * instance of the order subgraph injects the same faults.
 */
const activationFaultSchema = new Schema(
  {
    _id: { type: String, required: true },
    // Every field given must equal the order's; an empty match hits every order.
    match: {
      type: new Schema({ externalId: String, customerId: String, productOfferingId: String }, { _id: false }),
      default: {},
    },
    step: { type: String, enum: SAGA_STEPS, required: true },
    // Only for CONFIGURATION: fail just this element manager (others configure normally).
    adapter: { type: String, enum: [...ADAPTER_NAMES, null], default: null },
    effect: { type: String, enum: ['FAIL', 'DELAY'], required: true },
    delayMs: { type: Number, min: 0, default: 0 },
    message: { type: String, default: null },
  },
  { collection: 'activationFaults', versionKey: false },
);
activationFaultSchema.index({ step: 1 });

/**
 * What a simulated network element holds for one service: its "running configuration". Keyed by
 * the saga's configuration key, so a re-run step finds its earlier work instead of applying twice.
 */
const networkElementConfigSchema = new Schema(
  {
    _id: { type: String, required: true }, // '<serviceOrderId>/<itemId>/<resourceId>'
    adapter: { type: String, enum: ADAPTER_NAMES, required: true },
    resourceId: { type: String, required: true },
    serviceId: { type: String, required: true },
    characteristics: { type: [new Schema({ name: String, value: String }, { _id: false })], default: [] },
    state: { type: String, enum: ['CONFIGURED', 'ROLLED_BACK'], required: true },
    configuredAt: { type: Date, required: true },
    rolledBackAt: { type: Date, default: null },
    // How many times the element applied this configuration; idempotent callers keep it at 1.
    applyCount: { type: Number, required: true, min: 1 },
  },
  { collection: 'networkElementConfigs', versionKey: false },
);
networkElementConfigSchema.index({ serviceId: 1 });

export type ActivationFaultDoc = Plain<InferRawDocTypeFromSchema<typeof activationFaultSchema>> & { _id: string };
export type NetworkElementConfigDoc = Plain<InferRawDocTypeFromSchema<typeof networkElementConfigSchema>> & { _id: string };

/** Binds the simulated network's collections to the order subgraph's connection. */
export function createAdapterModels(conn: Connection) {
  return {
    ActivationFault: conn.model('ActivationFault', activationFaultSchema),
    NetworkElementConfig: conn.model('NetworkElementConfig', networkElementConfigSchema),
  };
}

export type AdapterModels = ReturnType<typeof createAdapterModels>;
