/**
 * The network side of activation: element-manager adapters (EMS for the RAN, SDN controller for
 * slices and VPNs, OLT manager for fibre) behind one interface, simulated here with configurable
 * latency, failure rate and stored fault rules.
 */
import type { ActivationConfig } from '../../../../kit/config.js';
import { createFaultInjector } from './faults.js';
import type { AdapterModels } from './models.js';
import { createSimulatedAdapters } from './simulated.js';
import type { FaultInjector, NetworkAdapters } from './types.js';

export { createAdapterModels, SAGA_STEPS, ADAPTER_NAMES, type AdapterModels, type ActivationFaultDoc, type NetworkElementConfigDoc } from './models.js';
export { adapterFor } from './simulated.js';
export * from './types.js';

/** The simulated network: its adapters and the fault injector the saga consults per step. */
export interface SimulatedNetwork {
  adapters: NetworkAdapters;
  faults: FaultInjector;
}

export function createSimulatedNetwork(models: AdapterModels, config: ActivationConfig): SimulatedNetwork {
  return { adapters: createSimulatedAdapters(models, config), faults: createFaultInjector(models) };
}
