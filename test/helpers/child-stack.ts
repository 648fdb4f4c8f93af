import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { portVar, SUBGRAPH_NAMES } from '../../kit/config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Ports that were free a moment ago (bound to 0, then released). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface ChildStack {
  gatewayUrl: string;
  child: ChildProcess;
  /** Ends the process the hard way: no shutdown hooks, no flushed state — a crash. */
  kill(): Promise<void>;
}

/**
 * The product (`npm start`'s entry point) in a child process over `mongoUri`, on fixed ports so a
 * restarted process is found at the same URLs. Resolves once the gateway is listening.
 */
export async function startChildStack(mongoUri: string, ports: number[], env: Record<string, string> = {}): Promise<ChildStack> {
  const portEnv: Record<string, string> = { GATEWAY_PORT: String(ports[0]) };
  SUBGRAPH_NAMES.forEach((name, i) => (portEnv[portVar(name)] = String(ports[i + 1])));
  const child = spawn(process.execPath, ['--import', 'tsx', 'kit/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...portEnv, ...env, MONGODB_URI: mongoUri, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const gatewayUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child stack did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /gateway\s+(http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child stack exited with ${code}:\n${output}`));
    });
  });
  return {
    gatewayUrl,
    child,
    kill: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    }),
  };
}
