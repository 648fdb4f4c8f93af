/**
 * The product as docker-compose deploys it, for the benchmarks: each subgraph and the gateway in
 * a Node process of its own (`subgraphs/main.ts`, `gateway/main.ts`), wired by port environment
 * variables, over an already running database. In one process the six subgraphs and the gateway
 * share one event loop — one core — so a benchmark of a busy flow would measure how long one
 * subgraph's work waits behind another's, which no deployment does.
 */
import type { ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { portVar, SUBGRAPH_NAMES, subscriptionUrlVar, type SubgraphName } from '../kit/config.js';
import { freePorts } from '../test/helpers/child-stack.js';
import { processCpuMs } from './db-process.js';
import { printed, spawnNode, stopNode } from './node-process.js';

const START_TIMEOUT_MS = 120_000;

/** BENCH_STACK_NODE_ARGS: space-separated Node flags for every service process, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (profiles are written when they stop). */
const nodeArgs = () => process.env.BENCH_STACK_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

export interface ServiceProcess {
  /** `order-worker`, `order-subscriptions`: instances of the order subgraph (see StackLayout). */
  name: SubgraphName | `${SubgraphName}-worker` | `${SubgraphName}-subscriptions` | 'gateway';
  pid: number;
  url: string;
}

export interface ProcessStack {
  gatewayUrl: string;
  services: ServiceProcess[];
  /** CPU time (ms) all of the stack's processes have used so far. */
  cpuMs(): number;
  /** CPU time (ms) each of the stack's processes has used so far. */
  cpuByService(): Record<ServiceProcess['name'], number>;
  stop(): Promise<void>;
}

/** Starts `entry` under tsx and resolves with the URL it prints once it serves; `log` gets its other output, line by line. */
async function startService(name: ServiceProcess['name'], entry: string[], env: Record<string, string>, log: (line: string) => void): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnNode([...nodeArgs(), '--import', 'tsx', ...entry], { ...process.env, ...env });
  const relay = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line.trim() && !/ready at/.test(line)) log(`[${name}] ${line}`);
  };
  child.stdout!.on('data', relay);
  child.stderr!.on('data', relay);
  return { child, url: await printed(child, /ready at (http:\/\/\S+)/, name, START_TIMEOUT_MS) };
}

const stopChild = (child: ChildProcess) => stopNode(child, 30_000, 'stopping a service process');

export interface StackLayout {
  /**
   * Subgraphs deployed as API instances (BACKGROUND_WORK=off, the ones the gateway and the other
   * subgraphs talk to) plus one worker instance each (BACKGROUND_WORK=on, on a port of its own)
   * that runs their sagas and outbox consumers.
   */
  workers?: SubgraphName[];
  /**
   * Niceness of the worker instances (0 = same priority as the rest). On a shared host a worker's
   * batch of orchestration work then gives way to the instances that answer clients, as it
   * would run on hosts of its own in a larger deployment.
   */
  workerNice?: number;
  /**
   * Subgraphs whose subscriptions the gateway opens at an API instance of their own
   * (`ORDER_SUBSCRIPTION_URL`), so live events do not queue behind queries and mutations.
   */
  subscriptionInstances?: SubgraphName[];
}

/**
 * Starts the six subgraphs (and their worker instances) and then the gateway, each in its own
 * process, over `mongoUri` (seeded beforehand). `env` adds configuration (e.g.
 * ADAPTER_LATENCY_MS) to every process. `log` gets the processes' own output, line by line,
 * prefixed with their name.
 */
export async function startProcessStack(mongoUri: string, env: Record<string, string>, log: (line: string) => void = () => {}, layout: StackLayout = {}): Promise<ProcessStack> {
  const workers = layout.workers ?? [];
  const subscriptionInstances = layout.subscriptionInstances ?? [];
  const [gatewayPort, ...ports] = await freePorts(SUBGRAPH_NAMES.length + 1 + workers.length + subscriptionInstances.length);
  const wiring: Record<string, string> = { MONGODB_URI: mongoUri, GATEWAY_PORT: String(gatewayPort), NODE_ENV: 'production', ...env };
  SUBGRAPH_NAMES.forEach((name, i) => (wiring[portVar(name)] = String(ports[i])));
  const workerPorts = ports.slice(SUBGRAPH_NAMES.length, SUBGRAPH_NAMES.length + workers.length);
  const subscriptionPorts = ports.slice(SUBGRAPH_NAMES.length + workers.length);
  const started: { name: ServiceProcess['name']; child: ChildProcess; url: string }[] = [];
  const stop = async () => {
    // The gateway first, so no client request reaches a subgraph that is already gone.
    for (const s of [...started].reverse()) await stopChild(s.child);
  };
  try {
    const subgraphs = await Promise.all(SUBGRAPH_NAMES.map(async (name) => {
      const apiOnly: Record<string, string> = workers.includes(name) ? { BACKGROUND_WORK: 'off' } : {};
      return { name, ...(await startService(name, ['subgraphs/main.ts', name], { ...wiring, ...apiOnly }, log)) };
    }));
    started.push(...subgraphs);
    // The same subgraph on a port of its own, running only what its API instance leaves out.
    const workerProcesses = await Promise.all(workers.map(async (name, i) => {
      const worker = `${name}-worker` as const;
      const started = await startService(worker, ['subgraphs/main.ts', name], { ...wiring, [portVar(name)]: String(workerPorts[i]), BACKGROUND_WORK: 'on' }, log);
      if (layout.workerNice) setPriority(started.child.pid!, layout.workerNice);
      return { name: worker, ...started };
    }));
    started.push(...workerProcesses);
    // API-only instances the gateway opens these subgraphs' subscriptions at, and nothing else.
    const subscriptionProcesses = await Promise.all(subscriptionInstances.map(async (name, i) => {
      const instance = `${name}-subscriptions` as const;
      return { name: instance, ...(await startService(instance, ['subgraphs/main.ts', name], { ...wiring, [portVar(name)]: String(subscriptionPorts[i]), BACKGROUND_WORK: 'off' }, log)) };
    }));
    started.push(...subscriptionProcesses);
    const subscriptionUrls = Object.fromEntries(subscriptionProcesses.map((p, i) => [subscriptionUrlVar(subscriptionInstances[i]), p.url]));
    started.push({ name: 'gateway', ...(await startService('gateway', ['gateway/main.ts'], { ...wiring, ...subscriptionUrls }, log)) });
  } catch (err) {
    await stop();
    throw err;
  }
  const services = started.map((s) => ({ name: s.name, pid: s.child.pid!, url: s.url }));
  return {
    gatewayUrl: services.at(-1)!.url,
    services,
    cpuMs: () => services.reduce((sum, s) => sum + processCpuMs(s.pid), 0),
    cpuByService: () => Object.fromEntries(services.map((s) => [s.name, processCpuMs(s.pid)])) as Record<ServiceProcess['name'], number>,
    stop,
  };
}
