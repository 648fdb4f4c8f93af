import { median, type LoadClient, type LoadResult } from './load.js';

/** One way of asking: a label and the request bodies its clients rotate over. */
export interface Variant {
  name: string;
  bodies: string[];
  /** How many runs this variant gets (at most `ThroughputOptions.runs`). */
  runs: number;
}

export interface Target {
  name: 'gateway' | 'monolith';
  url: string;
}

export interface ThroughputOptions {
  levels: number[];
  runs: number;
  warmupMs: number;
  durationMs: number;
}

/** The median over runs of one (variant, target, level). */
export interface ThroughputRow {
  query: string;
  target: Target['name'];
  clients: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Requests/s of every run, to show the spread behind the median. */
  runs: number[];
}

async function answer(url: string, body: string): Promise<{ data?: unknown; errors?: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await res.json()) as { data?: unknown; errors?: unknown };
  // Extensions (development diagnostics) legitimately differ; the answer is data + errors.
  return { data: json.data, errors: json.errors };
}

/**
 * Both servers must give the same answer to every request the benchmark will send: a faster
 * monolith that answers something else would make the comparison meaningless. Returns the first
 * difference, or undefined.
 */
export async function findMismatch(a: Target, b: Target, bodies: string[]): Promise<string | undefined> {
  for (const body of bodies) {
    const [x, y] = await Promise.all([answer(a.url, body), answer(b.url, body)]);
    if (x.errors) return `${a.name} answered errors for ${body.slice(-60)}: ${JSON.stringify(x.errors).slice(0, 500)}`;
    // Same JSON text, key order included: what a client would receive.
    if (JSON.stringify(x) !== JSON.stringify(y)) {
      return `answers differ for ${body.slice(-60)}\n  ${a.name}: ${JSON.stringify(x).slice(0, 1500)}\n  ${b.name}: ${JSON.stringify(y).slice(0, 1500)}`;
    }
  }
  return undefined;
}

const fmt = (r: LoadResult) => `${r.rps.toFixed(0).padStart(5)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms${r.errors ? `  ${r.errors} ERRORS (${r.firstError})` : ''}`;

/**
 * Closed-loop throughput and latency of every variant on every target at every level, repeated
 * `runs` times. The targets alternate inside each level so machine noise (other processes, GC,
 * the shared database) hits both sides alike; the reported figure is the median over runs.
 */
export async function measureThroughput(load: LoadClient, variants: Variant[], targets: Target[], opts: ThroughputOptions, log: (line: string) => void): Promise<ThroughputRow[]> {
  // JIT, connection pools and loader paths warm up once per target before anything counts.
  for (const t of targets) await load.run({ url: t.url, bodies: variants[0].bodies, concurrency: 10, warmupMs: 0, durationMs: 3000 });
  const samples = new Map<string, LoadResult[]>();
  for (let run = 1; run <= opts.runs; run++) {
    for (const v of variants.filter((x) => x.runs >= run)) {
      for (const clients of opts.levels) {
        for (const t of targets) {
          const r = await load.run({ url: t.url, bodies: v.bodies, concurrency: clients, warmupMs: opts.warmupMs, durationMs: opts.durationMs });
          log(`run ${run}/${Math.min(v.runs, opts.runs)}  ${v.name.padEnd(26)} ${t.name.padEnd(8)} ${String(clients).padStart(2)} clients: ${fmt(r)}`);
          const key = `${v.name}|${t.name}|${clients}`;
          samples.set(key, [...(samples.get(key) ?? []), r]);
        }
      }
    }
  }
  return variants.flatMap((v) => opts.levels.flatMap((clients) => targets.map((t) => {
    const rs = samples.get(`${v.name}|${t.name}|${clients}`)!;
    return {
      query: v.name, target: t.name, clients,
      rps: median(rs.map((r) => r.rps)), p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)),
      errors: rs.reduce((n, r) => n + r.errors, 0), runs: rs.map((r) => Math.round(r.rps)),
    };
  })));
}
