import type { ActivationConfig } from '../../../../kit/config.js';
import { applyFaults } from './faults.js';
import type { AdapterModels } from './models.js';
import { AdapterError, type AdapterName, type ConfigureRequest, type NetworkAdapter, type NetworkAdapters } from './types.js';

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

/** Which element manager owns a resource category; null when nothing needs configuring. */
const ADAPTER_BY_CATEGORY: Record<string, AdapterName> = {
  GNB: 'EMS',
  CELL: 'EMS',
  NETWORK_SLICE: 'SDN',
  PORT: 'SDN',
  ACCESS_ROUTER: 'SDN',
  OLT: 'OLT',
  PON_PORT: 'OLT',
  ONT: 'OLT',
};

/** The adapter configuring resources of `category`, or null (passive resources such as fibre). */
export function adapterFor(category: string, adapters: NetworkAdapters): NetworkAdapter | null {
  const name = ADAPTER_BY_CATEGORY[category];
  return name ? adapters[name] : null;
}

/**
 * A simulated element manager: answers after `adapterLatencyMs`, fails a share
 * `adapterFailureRate` of calls, honours CONFIGURATION fault rules for itself, and keeps the
 * element's running configuration in `networkElementConfigs` so tests can see what the network
 * holds and that rollbacks removed it.
 */
class SimulatedAdapter implements NetworkAdapter {
  constructor(
    readonly name: AdapterName,
    private readonly models: AdapterModels,
    private readonly config: ActivationConfig,
  ) {}

  async configure(req: ConfigureRequest): Promise<void> {
    await sleep(this.config.adapterLatencyMs);
    await applyFaults(this.models, 'CONFIGURATION', req.order, this.name);
    if (this.config.adapterFailureRate > 0 && Math.random() < this.config.adapterFailureRate) {
      throw new AdapterError('NE_REJECTED', `${this.name} rejected the configuration of ${req.resourceId} (simulated failure)`);
    }
    // Idempotent by key: a configuration already in place (a re-run after a crash) is left alone.
    await this.models.NetworkElementConfig.updateOne(
      { _id: req.key, state: { $ne: 'CONFIGURED' } },
      {
        $set: { adapter: this.name, resourceId: req.resourceId, serviceId: req.serviceId, characteristics: req.characteristics, state: 'CONFIGURED', configuredAt: new Date(), rolledBackAt: null },
        $inc: { applyCount: 1 },
      },
      { upsert: true },
    ).catch((err: { code?: number }) => {
      // Two racing calls for one key: the loser's upsert collides with the winner's insert.
      if (err.code !== 11000) throw err;
    });
  }

  async rollback(req: ConfigureRequest): Promise<void> {
    await sleep(this.config.adapterLatencyMs);
    await this.models.NetworkElementConfig.updateOne({ _id: req.key, state: 'CONFIGURED' }, { $set: { state: 'ROLLED_BACK', rolledBackAt: new Date() } });
  }
}

/** The three simulated element managers. */
export function createSimulatedAdapters(models: AdapterModels, config: ActivationConfig): NetworkAdapters {
  return {
    EMS: new SimulatedAdapter('EMS', models, config),
    SDN: new SimulatedAdapter('SDN', models, config),
    OLT: new SimulatedAdapter('OLT', models, config),
  };
}
