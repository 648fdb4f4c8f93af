import { Worker } from 'node:worker_threads';

/** One load level: who to hit, with which request bodies (rotated), how hard and for how long. */
export interface LoadSpec {
  url: string;
  /** Serialized GraphQL request bodies; clients take them in turn (rotating keys). */
  bodies: string[];
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadReply {
  latencies: number[];
  errors: number;
  firstError?: string;
}

export interface LoadResult {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  firstError?: string;
}

/** The p-th percentile (0..100) of ascending-sorted values, nearest rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

/** Latency and throughput of one finished level. */
export function summarize(reply: LoadReply, durationMs: number): LoadResult {
  const sorted = Float64Array.from(reply.latencies).sort();
  return { requests: sorted.length, errors: reply.errors, rps: sorted.length / (durationMs / 1000), p50: percentile(sorted, 50), p99: percentile(sorted, 99), firstError: reply.firstError };
}

/**
 * The load generator, in a worker thread: with the whole stack on the main event loop, clients there
 * would steal the very CPU being measured. The worker is plain TypeScript, so it boots through tsx's
 * registration API (tsx does not hook worker threads by itself).
 */
export class LoadClient {
  private readonly worker: Worker;

  constructor() {
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./load-worker.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    this.worker = new Worker(boot, { eval: true });
  }

  /** Runs one level; levels run one at a time. */
  run(spec: LoadSpec): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.worker.once('error', onError);
      this.worker.once('message', (reply: LoadReply) => {
        this.worker.off('error', onError);
        resolve(summarize(reply, spec.durationMs));
      });
      this.worker.postMessage(spec);
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
