import { parentPort } from 'node:worker_threads';
import type { LoadReply, LoadSpec } from './load.js';

const HEADERS = { 'content-type': 'application/json' };

/**
 * Closed loop: `concurrency` clients, each sending its next request as soon as the previous answer
 * is read. Requests go over the global fetch (undici, keep-alive), so each client keeps its own
 * connection. A request counts when it completes inside the window: throughput is completions per
 * second of window, unbiased by requests in flight at either edge.
 */
async function closedLoop(spec: LoadSpec): Promise<LoadReply> {
  const measureFrom = performance.now() + spec.warmupMs;
  const stopAt = measureFrom + spec.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  let firstError: string | undefined;
  const client = async () => {
    while (performance.now() < stopAt) {
      const body = spec.bodies[next++ % spec.bodies.length];
      const t0 = performance.now();
      let ok = false;
      try {
        const res = await fetch(spec.url, { method: 'POST', headers: HEADERS, body });
        const text = await res.text();
        // A substring test, not JSON.parse: the client must stay cheap next to the server it measures.
        ok = res.status === 200 && !text.includes('"errors"');
        if (!ok) firstError ??= `${res.status} ${text.slice(0, 300)}`;
      } catch (err) {
        firstError ??= String(err);
      }
      const t1 = performance.now();
      if (t1 >= measureFrom && t1 <= stopAt) {
        latencies.push(t1 - t0);
        if (!ok) errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, client));
  return { latencies, errors, firstError };
}

parentPort!.on('message', (spec: LoadSpec) => {
  void closedLoop(spec).then((reply) => parentPort!.postMessage(reply));
});
