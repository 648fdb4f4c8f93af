import { Schema } from 'mongoose';

/**
 * The parts of a stored service order item that belong to the activation saga: the resource
 * specifications it needs (from the catalog) and the saga's persisted state. Kept apart from
 * models.ts, which assembles them into the service order.
 */

export const resourceSpecificationRefSchema = new Schema(
  { id: { type: String, required: true }, name: { type: String, required: true }, category: { type: String, required: true } },
  { _id: false, id: false },
);

/** Where an item's activation saga is: the four TMF641 steps, then waiting for inventory's confirmation, done, or undoing. */
export const SAGA_STEPS = ['FEASIBILITY', 'RESERVATION', 'CONFIGURATION', 'ACTIVATION', 'AWAITING_CONFIRMATION', 'DONE', 'COMPENSATING'] as const;

const reservedResourceSchema = new Schema(
  { id: { type: String, required: true }, category: { type: String, required: true } },
  { _id: false, id: false },
);

/** Who started which step when: an audit trail, and how tests prove two instances never ran one step twice. */
const sagaAttemptSchema = new Schema(
  { step: { type: String, enum: SAGA_STEPS, required: true }, owner: { type: String, required: true }, at: { type: Date, required: true } },
  { _id: false, id: false },
);

const sagaFailureSchema = new Schema(
  { code: { type: String, required: true }, message: { type: String, required: true }, timestamp: { type: Date, required: true } },
  { _id: false, id: false },
);

/**
 * The persisted activation saga of one service order item. Every step is idempotent (the
 * reservation id and the adapters' configuration keys derive from the order and item ids), so an
 * instance that takes over after a crash re-runs the persisted step without reserving or
 * activating twice.
 */
export const sagaSchema = new Schema(
  {
    step: { type: String, enum: SAGA_STEPS, required: true },
    // When the current step began: its deadline (config.activation.stepDeadlineMs) runs from here.
    stepStartedAt: { type: Date, default: null },
    // Set (write-ahead) when RESERVATION begins: compensation releases it whenever it is set.
    reservationId: { type: String, default: null },
    // What the reservation holds, in order; configuration and its rollback walk these.
    resources: { type: [reservedResourceSchema], default: [] },
    configuredResourceIds: { type: [String], default: [] },
    // The point of no return, written (guarded by the order being IN_PROGRESS) right before
    // activation is requested: from then on a cancellation is refused.
    activationRequestedAt: { type: Date, default: null },
    // The step a jeopardy alert was raised for, so one overrun raises one alert.
    jeopardyStep: { type: String, default: null },
    // Why the item is being compensated and what it ends as.
    failure: { type: sagaFailureSchema, default: null },
    compensateTo: { type: String, enum: ['FAILED', 'CANCELLED', null], default: null },
    attempts: { type: [sagaAttemptSchema], default: [] },
  },
  { _id: false, id: false },
);
