import type { AppConfig } from '../../../kit/config.js';
import type { AlarmDoc, Models } from '../models.js';
import type { TopologyReplica } from '../topology/replica.js';
import { inputError } from './input.js';
import { storeBatch } from './ingest-store.js';
import type { AlarmInputError, ValidAlarm } from './types.js';

/**
 * Reports per transaction. Large enough that per-batch costs (a transaction, the context query,
 * the counter) vanish per alarm, small enough that a transaction stays short and a conflict
 * retry cheap.
 */
export const INGEST_BATCH = 1000;

interface Pending {
  reports: ValidAlarm[];
  resolve(outcomes: (AlarmDoc | AlarmInputError)[]): void;
  reject(err: unknown): void;
}

/**
 * The one way alarms are raised in a process: a FIFO of reports stored by a single worker, batch
 * after batch. Serialising is what makes correlation inside a batch exact (each batch sees
 * everything stored before it), and concurrent small callers (single `raiseAlarm`s) are merged
 * into one batch, so a burst of mutations costs a few transactions instead of one each.
 * Across instances, deduplication stays exact through the fault register (two transactions
 * creating one fault conflict on its entry and the loser re-runs); correlation between two
 * instances' alarms racing within the same few milliseconds is best effort.
 */
export class AlarmIngest {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(private readonly models: Models, private readonly config: AppConfig, private readonly topology: TopologyReplica) {}

  /**
   * Stores valid reports (in order, as if one after the other); resolves with each one's alarm,
   * or its error when its resource is unknown to the inventory. Rejects (nothing of the failed
   * batch stored) when the database or inventory fails.
   */
  async submit(reports: readonly ValidAlarm[]): Promise<(AlarmDoc | AlarmInputError)[]> {
    const chunks: Promise<(AlarmDoc | AlarmInputError)[]>[] = [];
    for (let i = 0; i < reports.length; i += INGEST_BATCH) {
      const chunk = reports.slice(i, i + INGEST_BATCH);
      chunks.push(new Promise((resolve, reject) => this.queue.push({ reports: chunk, resolve, reject })));
    }
    if (!this.draining) void this.drain();
    return (await Promise.all(chunks)).flat();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        const taken: Pending[] = [];
        let size = 0;
        while (this.queue.length && size + this.queue[0].reports.length <= INGEST_BATCH) {
          const next = this.queue.shift()!;
          taken.push(next);
          size += next.reports.length;
        }
        await this.run(taken);
      }
    } finally {
      this.draining = false;
    }
  }

  private async run(taken: Pending[]): Promise<void> {
    try {
      const reports = taken.flatMap((p) => p.reports);
      const unknown = new Set(await this.topology.ensure(reports.map((r) => r.resourceId)));
      const known = reports.filter((r) => !unknown.has(r.resourceId));
      const stored = known.length ? await storeBatch(this.models, this.topology, this.config.correlationWindowMs, known) : [];
      let k = 0;
      const outcomes = reports.map((r) => (unknown.has(r.resourceId) ? inputError('resourceId', `no resource '${r.resourceId}' in the inventory`) : stored[k++]));
      let offset = 0;
      for (const p of taken) {
        p.resolve(outcomes.slice(offset, offset + p.reports.length));
        offset += p.reports.length;
      }
    } catch (err) {
      for (const p of taken) p.reject(err);
    }
  }
}
