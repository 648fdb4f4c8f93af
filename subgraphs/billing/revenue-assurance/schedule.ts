import type { BackgroundDeps } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { reconcileBilling } from './reconcile.js';

/**
 * Runs the reconciliation every `intervalMs` (none when 0), the first one an interval after
 * start — by then the subgraphs started beside this one answer. A run that fails (inventory
 * unreachable) is logged and tried again at the next interval; runs never overlap in one process.
 */
export function scheduleReconciliation(deps: BackgroundDeps<Models>): { stop(): Promise<void> } {
  const { intervalMs } = deps.config.billingReconciliation;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const runOnce = async () => {
    try {
      const result = await reconcileBilling(deps);
      if (result.unbilledCount) deps.log(`billing: revenue leakage — ${result.unbilledCount} active services unbilled (of ${result.checkedServices} checked); see unbilledServices`);
    } catch (err) {
      deps.log(`billing: reconciliation failed (${(err as Error).message}); next try in ${intervalMs} ms`);
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce().finally(next);
    }, intervalMs);
    timer.unref();
  };
  if (intervalMs > 0) next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
