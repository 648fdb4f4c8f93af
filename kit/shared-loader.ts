import DataLoader from 'dataloader';

export interface SharedLoaderOptions {
  /** Most keys one batch asks for; more waiting are split into several batches. */
  maxBatchSize?: number;
  /** Batches out at once; keys asked for meanwhile wait and go out together in the next. */
  maxInFlight?: number;
}

/**
 * Paces a loader's batches: while fewer than `maxInFlight` are out, a batch goes at the end of
 * this event loop turn; otherwise it keeps gathering keys until one comes back. A lone request
 * waits for nothing; in a burst the batches grow instead of multiplying. (DataLoader's own
 * per-tick batching rarely groups a burst: its requests reach the loader in different turns, one
 * database or HTTP reply at a time.)
 */
class BatchPacer {
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly maxInFlight: number) {}

  /** DataLoader's batchScheduleFn. */
  readonly schedule = (send: () => void): void => {
    if (this.inFlight < this.maxInFlight) this.start(() => setImmediate(send));
    else this.waiting.push(send);
  };

  /** Called when a batch has come back (or failed). */
  done(): void {
    this.inFlight -= 1;
    const next = this.waiting.shift();
    if (next) this.start(next);
  }

  private start(send: () => void): void {
    this.inFlight += 1;
    send();
  }
}

/**
 * A DataLoader shared by every request a process is handling at the same moment (not one per
 * request): keys asked for while earlier batches are out go out together in the next (see
 * BatchPacer). Nothing is cached — every `load` is answered by a batch sent after it was asked —
 * so each caller sees the data as it is when it asks; only work in flight together is shared.
 */
export function sharedLoader<K, V>(batch: (keys: readonly K[]) => Promise<V[]>, opts: SharedLoaderOptions = {}): DataLoader<K, V> {
  const pacer = new BatchPacer(opts.maxInFlight ?? 2);
  return new DataLoader<K, V>(async (keys) => {
    try {
      return await batch(keys);
    } finally {
      pacer.done();
    }
  }, { cache: false, maxBatchSize: opts.maxBatchSize ?? 100, batchScheduleFn: pacer.schedule });
}
