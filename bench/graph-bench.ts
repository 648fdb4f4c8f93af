/**
 * `npm run bench:graph`: Customer 360 through the gateway vs a one-process monolith over the same
 * resolvers (small seed), and the impact query's latency through the gateway (large seed).
 * Options: --duration S --warmup S --runs N --hot-runs N --levels 1,10,50 --misses N --hits N --skip-large
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startStack } from '../kit/stack.js';
import { testConfig } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import { buildImpactIndex, customersBehind } from '../seed/impact.js';
import { findMismatch, measureThroughput, type Target, type ThroughputOptions, type ThroughputRow, type Variant } from './customer360.js';
import { measureImpact, type ImpactRow } from './impact.js';
import { LoadClient } from './load.js';
import { startMonolith } from './monolith.js';
import { ALARM_IMPACT, body, CUSTOMER_360, RESOURCE_IMPACT } from './queries.js';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    'hot-runs': { type: 'string', default: '1' },
    levels: { type: 'string', default: '1,10,50' },
    misses: { type: 'string', default: '15' },
    hits: { type: 'string', default: '100' },
    'skip-large': { type: 'boolean', default: false },
  },
});
const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}`);
const ms = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
const load1 = () => loadavg()[0].toFixed(2);

/** Small seed: the monolith must agree with the gateway, then both are loaded alike. */
async function customer360(opts: ThroughputOptions): Promise<{ rows: ThroughputRow[]; variants: Variant[] } | undefined> {
  const world = generateWorld('small');
  // Production mode on both sides: no per-request diagnostics (dbCommands) in either path.
  const config = testConfig({ development: false });
  const stack = await startStack({ config, freePorts: true, seed: 'small', world });
  const monolith = await startMonolith(config, stack.mongoUri);
  const load = new LoadClient();
  try {
    // Every customer with a service, so loader caches and the database see many keys, not one.
    const ids = [...new Set(world.services.flatMap((s) => (s.customerId ? [s.customerId] : [])))].sort();
    const variants: Variant[] = ([
      { name: `rotating (${ids.length} customers)`, bodies: ids.map((id) => body(CUSTOMER_360, { id })), runs: opts.runs },
      // The single hot key gets fewer runs by default to keep the whole benchmark under ~5 minutes.
      { name: `${world.landmarks.exampleCustomerId} only (hot key)`, bodies: [body(CUSTOMER_360, { id: world.landmarks.exampleCustomerId })], runs: Number(args['hot-runs']) },
    ] satisfies Variant[]).filter((v) => v.runs > 0);
    const targets: Target[] = [{ name: 'gateway', url: stack.gateway.url }, { name: 'monolith', url: monolith.url }];
    // Impact and alarm queries too: entity stubs from inventory resolved in customer, nested connections.
    const extra = [body(RESOURCE_IMPACT, { id: world.landmarks.bigFibreLinkId }), ...world.alarms.filter((a) => a.state !== 'CLEARED').slice(0, 5).map((a) => body(ALARM_IMPACT, { id: a.id }))];
    const checked = [...variants.flatMap((v) => v.bodies), ...extra];
    const mismatch = await findMismatch(targets[0], targets[1], checked);
    if (mismatch) {
      console.error(`\nERROR: the monolith does not return the gateway's JSON, so it cannot serve as a baseline.\n${mismatch}`);
      process.exitCode = 1;
      return undefined;
    }
    log(`monolith returned the same JSON as the gateway for all ${checked.length} checked requests`);
    return { rows: await measureThroughput(load, variants, targets, opts, log), variants };
  } finally {
    await load.close();
    await monolith.stop();
    await stack.stop();
  }
}

/** Large seed: the impact of the big fibre link, through the gateway, cache missed and hit. */
async function impact(): Promise<ImpactRow[]> {
  const world = generateWorld('large');
  const link = world.landmarks.bigFibreLinkId;
  log(`large seed: ${world.customers.length} customers, ${world.resources.length} resources; loading…`);
  // Development mode here: each answer's dbCommands tells a cache hit from a miss.
  const stack = await startStack({ config: testConfig(), freePorts: true, seed: 'large', world });
  try {
    log(`large stack up; big fibre link ${link}`);
    const opts = { misses: Number(args.misses), hits: Number(args.hits) };
    const rows = await measureImpact(stack, `resource(${link}) impactedCustomers`, body(RESOURCE_IMPACT, { id: link }), link, opts, log);
    // The same question asked of the inventory subgraph itself: how much of the time is the walk, how much federation.
    const direct = `{ resource(id: ${JSON.stringify(link)}) { impactedCustomers(first: 10) { totalCount edges { node { id } } } } }`;
    rows.push(...(await measureImpact(stack, `resource(${link}) on inventory directly`, body(direct, {}), link, { ...opts, url: stack.subgraphs.inventory.url }, log)));
    const onLink = world.alarms.filter((a) => a.resourceId === link).sort((a, b) => Number(a.state === 'CLEARED') - Number(b.state === 'CLEARED'))[0];
    // Without an alarm on the link, the DESIGN alarm-impact shape is measured on the raised alarm that hurts most.
    const index = buildImpactIndex(world);
    const alarm = onLink ?? world.alarms.filter((a) => a.state !== 'CLEARED').map((a) => ({ a, n: customersBehind(index, a.resourceId).size })).sort((x, y) => y.n - x.n)[0]?.a;
    if (!onLink) log(`no alarm on ${link} in the large world; alarm-impact shape measured on ${alarm ? `${alarm.id} (on ${alarm.resourceId})` : 'nothing (no raised alarm)'}`);
    if (alarm) rows.push(...(await measureImpact(stack, `alarm(${alarm.id}) impact${onLink ? '' : ` [on ${alarm.resourceId}]`}`, body(ALARM_IMPACT, { id: alarm.id }), alarm.resourceId, opts, log)));
    return rows;
  } finally {
    await stack.stop();
  }
}

function ratios(rows: ThroughputRow[]) {
  const find = (q: string, t: string, c: number) => rows.find((r) => r.query === q && r.target === t && r.clients === c)!;
  return rows.filter((r) => r.target === 'gateway').map((g) => {
    const m = find(g.query, 'monolith', g.clients);
    return { query: g.query, clients: g.clients, 'throughput gw/mono': ratio(g.rps, m.rps), 'p50 gw/mono': ratio(g.p50, m.p50), 'p99 gw/mono': ratio(g.p99, m.p99) };
  });
}

function summary(result: { rows: ThroughputRow[]; variants: Variant[] } | undefined, impactRows: ImpactRow[], opts: ThroughputOptions): string {
  const parts: string[] = [];
  if (result) {
    const q = result.variants[0].name;
    const hot = result.variants[1];
    const at = (t: string) => opts.levels.map((c) => result.rows.find((r) => r.query === q && r.target === t && r.clients === c)!);
    const g = at('gateway');
    const m = at('monolith');
    parts.push(`Customer 360 (${q}; median of ${result.variants[0].runs} runs of ${opts.durationMs / 1000} s per level, closed-loop HTTP keep-alive clients in a worker thread): ` +
      `at ${opts.levels.join('/')} clients the gateway served ${g.map((r) => r.rps.toFixed(0)).join('/')} req/s against the monolith's ${m.map((r) => r.rps.toFixed(0)).join('/')} ` +
      `(gateway/monolith throughput ${g.map((r, i) => (r.rps / m[i].rps).toFixed(2)).join('/')}), with p50 ${g.map((r) => ms(r.p50)).join('/')} ms vs ${m.map((r) => ms(r.p50)).join('/')} ms ` +
      `(×${g.map((r, i) => (r.p50 / m[i].p50).toFixed(1)).join('/')}). Both paths share one process, one database server and the same resolvers, so the gap is the federation cost: query planning, ` +
      `one HTTP hop and JSON (de)serialisation per subgraph fetch and \`_entities\` round, and the gateway's result merging.${hot ? ` The single-customer variant "${hot.name}" (${Math.min(hot.runs, opts.runs)} run(s)) is in the tables.` : ''}`);
  }
  const queries = [...new Set(impactRows.map((r) => r.query))];
  if (queries.length) {
    const line = (q: string) => {
      const [miss, hit] = [impactRows.find((r) => r.query === q && r.cache !== 'hit')!, impactRows.find((r) => r.query === q && r.cache === 'hit')!];
      return `${q} (${miss.totalCount} customers): p50 ${ms(miss.p50)} ms on a cache miss, ${ms(hit.p50)} ms on a hit`;
    };
    const [gw] = impactRows;
    parts.push(`Impact on the large seed, sequential requests, each miss right after a topology write (verified by database command counts): ${queries.map(line).join('; ')}. ` +
      `Against the 300 ms p50 target the gateway impact query is ${gw.p50 < 300 ? 'under' : 'OVER'} it uncached and ${impactRows[1].p50 < 300 ? 'under' : 'OVER'} it cached; ` +
      `the direct-to-inventory row shows how much of the uncached time is the topology walk itself rather than federation.`);
  }
  return parts.join('\n\n');
}

async function main() {
  const opts: ThroughputOptions = { levels: args.levels.split(',').map(Number), runs: Number(args.runs), warmupMs: Number(args.warmup) * 1000, durationMs: Number(args.duration) * 1000 };
  log(`node ${process.version}, ${cpus().length} CPUs, load average ${load1()}`);
  const result = await customer360(opts);
  if (!result) return;
  const impactRows = args['skip-large'] ? [] : await impact();
  console.log('\nCustomer 360 — median over runs');
  console.table(result.rows.map((r) => ({ query: r.query, target: r.target, clients: r.clients, 'req/s': ms(r.rps), 'p50 ms': ms(r.p50), 'p99 ms': ms(r.p99), errors: r.errors, 'req/s per run': r.runs.join(' ') })));
  console.log('Gateway / monolith (throughput < 1 and latency > 1 mean the gateway is slower)');
  console.table(ratios(result.rows));
  if (impactRows.length) {
    console.log('Impact query on the large seed — sequential requests through the gateway');
    console.table(impactRows.map((r) => ({ query: r.query, cache: r.cache, 'verified samples': r.verified, 'impacted customers': r.totalCount, 'p50 ms': ms(r.p50), 'p99 ms': ms(r.p99), 'p50 < 300 ms': r.p50 < 300 ? 'yes' : 'NO' })));
  }
  console.log(`\n${summary(result, impactRows, opts)}`);
  log(`done; load average ${load1()}`);
}

main().then(
  // Closed servers can leave driver timers behind for a while; the benchmark has said all it has to say.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
