import type { ActivationFaultDoc, AdapterModels } from './models.js';
import { AdapterError, type ActivationOrderRef, type AdapterName, type FaultInjector, type SagaStep } from './types.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function matches(rule: ActivationFaultDoc, order: ActivationOrderRef): boolean {
  const m = rule.match ?? {};
  if (m.externalId != null && m.externalId !== order.externalId) return false;
  if (m.customerId != null && m.customerId !== order.customerId) return false;
  if (m.productOfferingId != null && m.productOfferingId !== order.productOfferingId) return false;
  return true;
}

/**
 * Applies the first matching rule: DELAY waits, FAIL throws a non-retryable AdapterError
 * (`INJECTED_FAULT`). `adapter` narrows CONFIGURATION rules to one element manager.
 */
export async function applyFaults(models: AdapterModels, step: SagaStep, order: ActivationOrderRef, adapter: AdapterName | null): Promise<void> {
  const rules = await models.ActivationFault.find({ step }).lean<ActivationFaultDoc[]>();
  const rule = rules.find((r) => (r.adapter ?? null) === adapter && matches(r, order));
  if (!rule) return;
  if (rule.effect === 'DELAY') {
    await sleep(rule.delayMs ?? 0);
    return;
  }
  const where = adapter ? `${adapter} adapter` : step.toLowerCase();
  throw new AdapterError('INJECTED_FAULT', rule.message ?? `injected failure at ${where} for service order ${order.serviceOrderId}`);
}

/** Step-level fault rules (those not tied to one adapter). */
export function createFaultInjector(models: AdapterModels): FaultInjector {
  return { before: (step, order) => applyFaults(models, step, order, null) };
}
