/**
 * How busy the host's CPUs were during a run, from /proc/stat (Linux). Latency tails on a 2-core
 * machine depend on what else the host runs: on a shared virtual machine the hypervisor can give a
 * core to another guest (steal time), and the same commit then measures a different tail. Reporting
 * the host's busy and steal shares beside each run tells a slow host from slow code. Steal does not
 * show everything: on a busy host the same instructions also take longer (shared caches, clock
 * speed), which a fixed piece of work timed before each run (`hostProbeMs`) does show.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** Cumulative ticks of all CPUs: busy (user, nice, system, irq, softirq), idle (idle, iowait), steal. */
export interface HostCpuTicks {
  busy: number;
  idle: number;
  steal: number;
}

/** The host's cumulative CPU ticks so far, or undefined where /proc/stat is not there. */
export function hostCpuTicks(): HostCpuTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu '));
    if (!line) return undefined;
    // cpu user nice system idle iowait irq softirq steal [guest guest_nice — already inside user/nice]
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
    return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal: steal ?? 0 };
  } catch {
    return undefined;
  }
}

/** Shares (0…1) of the CPU time between two readings that was busy and that was stolen; undefined if either reading is missing. */
export function hostCpuShares(before: HostCpuTicks | undefined, after: HostCpuTicks | undefined): { busy: number; steal: number } | undefined {
  if (!before || !after) return undefined;
  const busy = after.busy - before.busy;
  const steal = after.steal - before.steal;
  const total = busy + steal + (after.idle - before.idle);
  return total > 0 ? { busy: busy / total, steal: steal / total } : undefined;
}

/** `host busy 85%, steal 0%` or `host CPU n/a`, for a benchmark's run line. */
export function describeHostCpu(shares: ReturnType<typeof hostCpuShares>): string {
  if (!shares) return 'host CPU n/a';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return `host busy ${pct(shares.busy)}, steal ${pct(shares.steal)}`;
}

const PROBE_DATA = Buffer.alloc(32 * 1024 * 1024, 7);

/** One fixed piece of work: hashing 32 MiB and 30 million integer steps. */
function probeOnce(): number {
  const started = performance.now();
  createHash('sha256').update(PROBE_DATA).digest();
  let x = 0;
  for (let i = 0; i < 30_000_000; i++) x = (x * 31 + i) | 0;
  // Using x keeps the loop from being optimised away.
  return performance.now() - started + (x === 0.5 ? 1 : 0);
}

/**
 * How long this process takes for a fixed piece of work right now, in ms (best of three; run it
 * while the stack is idle). Only comparable between calls in one kind of process (bench:activation
 * measured 52–53 ms per run on a 2-core machine; a fresh process, before the JIT has warmed to
 * it, takes about three times as long): a larger number means a slower host.
 */
export function hostProbeMs(): number {
  return Math.round(Math.min(probeOnce(), probeOnce(), probeOnce()));
}
