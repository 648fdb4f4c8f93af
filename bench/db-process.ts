/**
 * The embedded database server in a process of its own, for the benchmarks (`bench:assurance`,
 * `bench:activation`), and the helpers they need around it. For looking inside the database
 * during a run: `BENCH_DB_NODE_ARGS` (space-separated Node flags, e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`; the profile is written when the server stops) and `BENCH_DB_LOG`
 * (a file its output is appended to, e.g. of `--trace-gc`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

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

const children = new Set<ChildProcess>();
// Last resort: whatever way this process ends, no database server is left behind.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * The embedded database server (`npm run db`'s cli.ts) in its own Node process, in memory, on a
 * free port. In the stack's process it would share one event loop (one core) with the six
 * subgraphs and the gateway, so every storage command would queue behind GraphQL, saga and
 * subscription work and vice versa: a benchmark would measure a scheduler, not the product. A real
 * deployment runs the database apart, and so do the benchmarks. Spawned as `node --import tsx`
 * directly rather than through `npm run db`: npm puts a shell in between, so the pid to stop
 * would not be the server's.
 */
export async function startDbProcess(): Promise<DbProcess> {
  // bench:assurance's storm (alarms, events, fault register) on top of the large seed needs room beyond the default heap.
  const child = spawn(process.execPath, [...(process.env.BENCH_DB_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--max-old-space-size=8192', '--import', 'tsx', 'embedded-mongo/cli.ts', '--port', '0', '--host', '127.0.0.1', '--memory'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const uri = await withTimeout(new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (process.env.BENCH_DB_LOG) appendFileSync(process.env.BENCH_DB_LOG, d);
      const match = /embedded-mongo listening: (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`the database process exited (${code ?? signal}) before listening: ${stderr.trim()}`)));
  }), 60_000, 'starting the database process').catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    uri,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await withTimeout(exited, 10_000, 'stopping the database process').catch(() => child.kill('SIGKILL'));
      }
      children.delete(child);
    },
  };
}
