/**
 * The embedded database server in a process of its own, for the benchmarks (`bench:assurance`,
 * `bench:activation`), and the helpers they need around it. For looking inside the database
 * during a run: `BENCH_DB_NODE_ARGS` (space-separated Node flags, e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`; the profile is written when the server stops) and `BENCH_DB_LOG`
 * (a file its output is appended to, e.g. of `--trace-gc`).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { printed, spawnNode, stopNode } from './node-process.js';

/** CPU time (ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
  } catch {
    return NaN;
  }
}

export interface DbProcess {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The embedded database server (`npm run db`'s cli.ts) in its own Node process, in memory, on a
 * free port. In the stack's process it would share one event loop (one core) with the six
 * subgraphs and the gateway, so every storage command would queue behind GraphQL, saga and
 * subscription work and vice versa: a benchmark would measure a scheduler, not the product. A real
 * deployment runs the database apart, and so do the benchmarks.
 */
export async function startDbProcess(): Promise<DbProcess> {
  // bench:assurance's storm (alarms, events, fault register) on top of the large seed needs room beyond the default heap.
  const child = spawnNode([...(process.env.BENCH_DB_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--max-old-space-size=8192', '--import', 'tsx', 'embedded-mongo/cli.ts', '--port', '0', '--host', '127.0.0.1', '--memory']);
  const log = process.env.BENCH_DB_LOG;
  if (log) child.stdout!.on('data', (d: Buffer) => appendFileSync(log, d));
  const uri = await printed(child, /embedded-mongo listening: (\S+)/, 'the database process', 60_000);
  return {
    uri,
    pid: child.pid!,
    stop: () => stopNode(child, 10_000, 'stopping the database process'),
  };
}
