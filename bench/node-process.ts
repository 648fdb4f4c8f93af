/**
 * Node processes of the project that the benchmarks start (the database, the services): spawned
 * under tsx from the project root, awaited until they print that they serve, stopped gently then
 * firmly — and killed whatever way the benchmark itself ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const children = new Set<ChildProcess>();
// Last resort: whatever way this process ends, no child is left behind.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * `node <args>` from the project root, output piped. Spawned as node directly rather than through
 * npm: npm puts a shell in between, so the pid to stop (and to read CPU time of) would not be ours.
 */
export function spawnNode(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/**
 * Resolves with the first group of `pattern` once the child prints it (on stdout or stderr).
 * Rejects, with the child's last output, when it exits first or after `timeoutMs`; the child is
 * then killed.
 */
export function printed(child: ChildProcess, pattern: RegExp, what: string, timeoutMs: number): Promise<string> {
  let tail = '';
  const found = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      const match = pattern.exec(tail);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal}) before it was ready: ${tail.trim()}`)));
  });
  return withTimeout(found, timeoutMs, what).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
}

/** SIGTERM, then SIGKILL when the child has not exited within `graceMs`. */
export async function stopNode(child: ChildProcess, graceMs: number, what: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await withTimeout(exited, graceMs, what).catch(() => {
    child.kill('SIGKILL');
  });
}
