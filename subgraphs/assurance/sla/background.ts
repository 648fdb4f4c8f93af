import type { BackgroundDeps, BackgroundWork } from '../../../kit/subgraph.js';
import type { Models } from '../models.js';
import { slaEngine } from './engine.js';

/**
 * How often the retry sweep looks for SLA work left undone (an evaluation that failed because a
 * subgraph it asks was down, an alarm not raised because of a crash). Evaluation normally runs
 * inline with ingestion; this only bounds how late a deferred one can be.
 */
export const SLA_SWEEP_MS = 10_000;

/**
 * The SLA retry sweep of a running assurance subgraph: once at start (finishing what a crash
 * left) and then every `intervalMs`, never two at a time. `stop` waits for a running sweep.
 */
export function startSlaSweep(deps: BackgroundDeps<Models>, intervalMs = SLA_SWEEP_MS): BackgroundWork {
  const engine = slaEngine(deps);
  engine.log = deps.log;
  let running: Promise<void> | null = null;
  const sweep = () => {
    running ??= engine.sweep()
      .catch((err: Error) => deps.log(`SLA retry sweep failed, next try in ${intervalMs} ms: ${err.message}`))
      .finally(() => {
        running = null;
      });
  };
  sweep();
  const timer = setInterval(sweep, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
