import { describe, expect, it } from 'vitest';
import { describeHostCpu, hostCpuShares, hostCpuTicks, hostProbeMs } from './host-cpu.js';

describe('the host CPU shares a benchmark reports beside each run', () => {
  it('splits the time between two readings into busy and stolen shares', () => {
    const shares = hostCpuShares({ busy: 100, idle: 50, steal: 10 }, { busy: 170, idle: 70, steal: 20 });
    expect(shares).toEqual({ busy: 0.7, steal: 0.1 });
    expect(describeHostCpu(shares)).toBe('host busy 70%, steal 10%');
  });

  it('says n/a when a reading is missing or no time passed', () => {
    expect(hostCpuShares(undefined, { busy: 1, idle: 1, steal: 0 })).toBeUndefined();
    expect(hostCpuShares({ busy: 5, idle: 5, steal: 0 }, { busy: 5, idle: 5, steal: 0 })).toBeUndefined();
    expect(describeHostCpu(undefined)).toBe('host CPU n/a');
  });

  it.runIf(process.platform === 'linux')('reads ticks that only grow from /proc/stat', async () => {
    const before = hostCpuTicks()!;
    const until = Date.now() + 30;
    while (Date.now() < until); // keep a CPU busy for a few ticks
    const after = hostCpuTicks()!;
    expect(after.busy).toBeGreaterThan(before.busy);
    expect(after.idle).toBeGreaterThanOrEqual(before.idle);
    expect(after.steal).toBeGreaterThanOrEqual(before.steal);
  });

  it('times the fixed probe work in whole milliseconds', () => {
    const ms = hostProbeMs();
    expect(Number.isInteger(ms)).toBe(true);
    expect(ms).toBeGreaterThan(0);
  });
});
