/**
 * `npm run bench:assurance`: an alarm storm on the large seed. The busiest fibre link (≥ 10,000
 * customers behind it) is cut: its root-cause alarm, then `--alarms` alarms on the resources
 * below it, are posted to the assurance subgraph's `POST /alarms` NDJSON feed. Reports alarms/s
 * stored and correlated, the group the correlation built (checked through the gateway), the
 * root cause's impact query through the gateway (cold, then warm p50/p90), and the delay from an
 * alarm's change to its delivery to a graphql-ws subscriber of `alarmChanged` through the gateway
 * during the storm. Each run is a fresh database and stack, seeded anew.
 * Options: --alarms N (100000) --runs N (1) --samples N (30) --per-request N (5000) --in-flight N (4)
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { startStack, type RunningStack } from '../kit/stack.js';
import { testConfig } from '../kit/testing.js';
import { generateWorld } from '../seed/generate.js';
import type { World } from '../seed/world.js';
import { bruteForceImpact } from '../test/helpers/impact-oracle.js';
import { processCpuMs, startDbProcess } from './db-process.js';
import { withTimeout } from './node-process.js';
import type { DeliveryReport, FromSubscriber, SubscriberData, ToSubscriber } from './assurance-subscriber.js';
import { median, percentile } from './load.js';

const { values: args } = parseArgs({
  options: {
    alarms: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '1' },
    samples: { type: 'string', default: '30' },
    'per-request': { type: 'string', default: '5000' },
    'in-flight': { type: 'string', default: '4' },
  },
});
const positive = (name: keyof typeof args): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got '${args[name]}'`);
  return n;
};
const ALARMS = positive('alarms');
const RUNS = positive('runs');
const SAMPLES = positive('samples');
const PER_REQUEST = positive('per-request');
const IN_FLIGHT = positive('in-flight');

const TARGET_RATE = 5000;
const TARGET_IMPACT_P50 = 300;
/** A storm request waits behind the ones ahead of it in the ingest queue; generous, but bounded. */
const INGEST_REQUEST_TIMEOUT_MS = 15 * 60_000;
const QUERY_TIMEOUT_MS = 120_000;
/** Large seeding takes ~30–60 s on an idle machine; a loaded one gets room, a hung one does not get for ever. */
const STACK_START_TIMEOUT_MS = 15 * 60_000;
/** Deliveries still trickling in after the storm are waited for until none came for this long. */
const DELIVERY_IDLE_MS = 30_000;
const DELIVERY_TIMEOUT_MS = 20 * 60_000;

const started = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const load1 = () => loadavg()[0].toFixed(2);
const round = (n: number) => (Number.isFinite(n) ? Math.round(n) : NaN);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The storm

interface Storm {
  fibre: string;
  rootLine: string;
  /** NDJSON request bodies of the storm, `PER_REQUEST` lines each. */
  bodies: string[];
  resourcesBelow: number;
  /** A resource with no topology relation to the fibre: its probe alarm correlates with nothing of the storm. */
  probeResource: string;
}

/** Reverse-walk of reliesOn ∪ bundledIn (the relation correlation uses) from `id`. */
function closure(id: string, next: Map<string, string[]>): string[] {
  const seen = new Set([id]);
  const out: string[] = [];
  for (let frontier = [id]; frontier.length;) {
    const following: string[] = [];
    for (const at of frontier) {
      for (const n of next.get(at) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        following.push(n);
        out.push(n);
      }
    }
    frontier = following;
  }
  return out;
}

/**
 * The root-cause report on the fibre and `count` reports below it, spread over every resource
 * whose reliesOn/bundledIn chain reaches the fibre (the correlation's notion of "below"). A
 * resource gets several reports, each a distinct fault (probable cause × specific problem), so
 * each creates an alarm rather than being deduplicated into one. Raise times lie within a minute
 * after the root's, inside the correlation window, as a real storm's would; they are set, not
 * left to the server, so how long ingestion takes cannot push alarms out of the window.
 */
function buildStorm(world: World, count: number): Storm {
  const fibre = world.landmarks.bigFibreLinkId;
  const down = new Map<string, string[]>();
  const up = new Map<string, string[]>();
  for (const r of world.resources) {
    const parents = [...r.reliesOn, ...(r.bundledIn ? [r.bundledIn] : [])];
    up.set(r.id, parents);
    for (const p of parents) (down.get(p) ?? down.set(p, []).get(p)!).push(r.id);
  }
  const below = closure(fibre, down).sort();
  const related = new Set([fibre, ...below, ...closure(fibre, up)]);
  const unrelated = world.resources.filter((r) => !related.has(r.id) && !(down.get(r.id)?.length));
  const probeResource = (unrelated.find((r) => r.category === 'ONT') ?? unrelated[0])?.id;
  if (!below.length || !probeResource) throw new Error(`the large world has no resources below ${fibre}, or none unrelated to it`);

  const rootTime = Date.now() - 120_000;
  const report = (fields: Record<string, unknown>) => JSON.stringify({ alarmType: 'COMMUNICATIONS_ALARM', sourceSystemId: 'bench-ems', serviceAffecting: true, ...fields });
  const rootLine = report({
    resourceId: fibre, perceivedSeverity: 'CRITICAL', probableCause: 'lossOfSignal', specificProblem: 'bench: fibre cut',
    externalAlarmId: 'bench-root', alarmRaisedTime: new Date(rootTime).toISOString(),
  });
  const causes = ['underlyingResourceUnavailable', 'linkFailure', 'lossOfSignal', 'lossOfFrame', 'powerProblems'];
  const severities = ['MAJOR', 'MINOR', 'WARNING'];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const pass = Math.floor(i / below.length);
    lines.push(report({
      resourceId: below[i % below.length], perceivedSeverity: severities[i % severities.length], probableCause: causes[pass % causes.length],
      specificProblem: `bench storm fault ${Math.floor(pass / causes.length)}`, externalAlarmId: `bench-${i}`,
      alarmRaisedTime: new Date(rootTime + 1 + Math.floor((i * 60_000) / count)).toISOString(),
    }));
  }
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i += PER_REQUEST) bodies.push(lines.slice(i, i + PER_REQUEST).join('\n') + '\n');
  return { fibre, rootLine, bodies, resourcesBelow: below.length, probeResource };
}

interface IngestAnswer {
  ids: string[];
  created: number;
  updated: number;
  errors: number;
  firstError?: string;
}

/**
 * POSTs one NDJSON body and reads its per-line answers as they stream back (a batch's answers
 * are written once it is stored), counting them into `progress` on the way.
 */
async function postAlarms(url: string, body: string, progress?: { answered: number }): Promise<IngestAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body, signal: AbortSignal.timeout(INGEST_REQUEST_TIMEOUT_MS) });
  if (res.status !== 200 || !res.body) throw new Error(`POST /alarms answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  const answer: IngestAnswer = { ids: [], created: 0, updated: 0, errors: 0 };
  const take = (line: string) => {
    if (!line) return;
    const a = JSON.parse(line) as { id?: string; state?: string; error?: { message: string } };
    if (progress) progress.answered += 1;
    if (a.error || !a.id) {
      answer.errors += 1;
      answer.firstError ??= line;
    } else {
      answer.ids.push(a.id);
      if (a.state === 'UPDATED') answer.updated += 1;
      else answer.created += 1;
    }
  };
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop()!;
    lines.forEach(take);
  }
  take(rest + decoder.decode());
  return answer;
}

// ---------------------------------------------------------------------------------------------
// The subscriber (a worker thread, see assurance-subscriber.ts)

const WATCH = `subscription ($min: PerceivedSeverity) { alarmChanged(minSeverity: $min) { cursor state at coalesced alarm { id } } }`;

class Subscriber {
  private readonly worker: Worker;
  private readonly seen = new Map<string, () => void>();
  private report?: (r: DeliveryReport) => void;
  private failure?: Error;
  private readonly failed: Promise<never>;

  constructor(gatewayUrl: string) {
    // The worker is plain TypeScript: it boots through tsx's registration API, like LoadClient (load.ts).
    const tsx = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./assurance-subscriber.ts', import.meta.url).href;
    const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    const data: SubscriberData = { url: gatewayUrl, query: WATCH, variables: { min: 'WARNING' } };
    this.worker = new Worker(boot, { eval: true, workerData: data });
    let fail!: (err: Error) => void;
    this.failed = new Promise<never>((_, reject) => (fail = reject));
    this.failed.catch(() => {}); // observed through the waits below
    const onFailure = (err: Error) => {
      this.failure ??= err;
      fail(err);
    };
    this.worker.on('error', onFailure);
    this.worker.on('exit', (code) => onFailure(new Error(`the subscriber thread exited (${code})`)));
    this.worker.on('message', (m: FromSubscriber) => {
      if (m.type === 'seen') this.seen.get(m.alarmId)?.();
      else if (m.type === 'report') this.report?.(m.report);
      else onFailure(new Error(m.message));
    });
  }

  /** Resolves once the alarm has been delivered to the subscriber. */
  waitFor(alarmId: string, timeoutMs: number): Promise<void> {
    const seen = new Promise<void>((resolve) => this.seen.set(alarmId, resolve));
    this.send({ type: 'watch', alarmId });
    return withTimeout(Promise.race([seen, this.failed]), timeoutMs, `delivery of ${alarmId}`).finally(() => this.seen.delete(alarmId));
  }

  /** Waits for the deliveries of `ids` (see ToSubscriber `finish`) and returns what arrived. */
  finish(ids: string[]): Promise<DeliveryReport> {
    const report = new Promise<DeliveryReport>((resolve) => (this.report = resolve));
    this.send({ type: 'finish', ids, idleMs: DELIVERY_IDLE_MS, timeoutMs: DELIVERY_TIMEOUT_MS });
    return withTimeout(Promise.race([report, this.failed]), DELIVERY_TIMEOUT_MS + 60_000, 'waiting for deliveries');
  }

  private send(message: ToSubscriber): void {
    if (this.failure) throw this.failure;
    this.worker.postMessage(message);
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}

/** Subscribes through the gateway and proves the stream live: an unrelated probe alarm must arrive. */
async function subscribe(stack: RunningStack, storm: Storm, alarmsUrl: string): Promise<Subscriber> {
  const before = stack.gateway.executor.upstream.active;
  const subscriber = new Subscriber(stack.gateway.url);
  try {
    const deadline = Date.now() + 60_000;
    while (stack.gateway.executor.upstream.active <= before) {
      if (Date.now() > deadline) throw new Error('the gateway never subscribed upstream to the assurance subgraph');
      await sleep(20);
    }
    const probe = await postAlarms(alarmsUrl, JSON.stringify({
      resourceId: storm.probeResource, perceivedSeverity: 'WARNING', probableCause: 'benchProbe', alarmType: 'COMMUNICATIONS_ALARM', specificProblem: `bench probe ${Date.now()}`,
    }));
    if (!probe.ids.length) throw new Error(`the probe alarm was refused: ${probe.firstError}`);
    await subscriber.waitFor(probe.ids[0], 60_000);
    return subscriber;
  } catch (err) {
    await subscriber.close();
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Gateway queries

async function gql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(QUERY_TIMEOUT_MS) });
  const json = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (json.errors?.length || !json.data) throw new Error(`query failed (${res.status}): ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  return json.data;
}

const GROUP = `query ($id: ID!) { alarm(id: $id) { isRootCause state childAlarms(first: 1) { totalCount } } }`;
const IMPACT = `query ($id: ID!) { alarm(id: $id) {
  impact { serviceCount customerCount enterpriseCustomerCount bySlaTier { tier count } }
  impactedCustomers(first: 10) { totalCount edges { node { id name } } } } }`;

interface Impact {
  alarm: {
    impact: { serviceCount: number; customerCount: number; enterpriseCustomerCount: number; bySlaTier: { tier: string; count: number }[] };
    impactedCustomers: { totalCount: number; edges: { node: { id: string; name: string } }[] };
  };
}

interface Expected {
  serviceCount: number;
  customerCount: number;
  enterpriseCustomerCount: number;
  firstPage: string[];
}

/** The root cause's impact as the topology implies it, computed from the world independently of the product. */
function expectedImpact(world: World, fibre: string): Expected {
  // Every storm alarm is below the fibre, so the group's union is the fibre's own impact.
  const oracle = bruteForceImpact(world, fibre);
  const segment = new Map(world.customers.map((c) => [c.id, c.segment]));
  return {
    serviceCount: oracle.serviceIds.length,
    customerCount: oracle.customerIds.length,
    enterpriseCustomerCount: oracle.customerIds.filter((id) => segment.get(id) === 'ENTERPRISE').length,
    firstPage: oracle.customerIds.slice(0, 10),
  };
}

function impactMismatch(got: Impact, want: Expected): string | undefined {
  const { impact, impactedCustomers } = got.alarm;
  const page = impactedCustomers.edges.map((e) => e.node.id);
  const wrong = [
    impact.serviceCount !== want.serviceCount && `serviceCount ${impact.serviceCount} ≠ ${want.serviceCount}`,
    impact.customerCount !== want.customerCount && `customerCount ${impact.customerCount} ≠ ${want.customerCount}`,
    impact.enterpriseCustomerCount !== want.enterpriseCustomerCount && `enterpriseCustomerCount ${impact.enterpriseCustomerCount} ≠ ${want.enterpriseCustomerCount}`,
    impactedCustomers.totalCount !== want.customerCount && `impactedCustomers.totalCount ${impactedCustomers.totalCount} ≠ ${want.customerCount}`,
    page.join() !== want.firstPage.join() && `first page ${page.join()} ≠ ${want.firstPage.join()}`,
  ].filter(Boolean);
  return wrong.length ? wrong.join('; ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// One run

interface Row {
  seedSeconds: number;
  alarmsPerSecond: number;
  ingestSeconds: number;
  stored: number;
  updated: number;
  errors: number;
  /** CPU used during the storm by this process (stack and subscriber thread) and by the database process. */
  stackCpuSeconds: number;
  dbCpuSeconds: number;
  /** Alarms per second of CPU (both processes): what the rate would be with all the CPU it needs, less sensitive to other load. */
  alarmsPerCpuSecond: number;
  /** 1-minute load average when the storm ended. */
  load: number;
  children: number;
  rootIsRootCause: boolean;
  impactCold: number;
  impactP50: number;
  impactP90: number;
  impactMax: number;
  impact: Impact['alarm']['impact'] & { totalCount: number };
  impactWrong?: string;
  deliveries: number;
  delivered: number;
  duringStorm: number;
  deliveryP50: number;
  deliveryP99: number;
  deliveryMax: number;
  stormDeliveryP50: number;
  stormDeliveryP99: number;
  drainSeconds: number;
  changes: number;
  duplicates: number;
  outOfOrder: number;
  ended: DeliveryReport['ended'];
}

async function run(world: World, storm: Storm, expected: Expected, runNo: number): Promise<Row> {
  const db = await startDbProcess();
  log(`run ${runNo}: database process ${db.pid} at ${db.uri}; starting the stack and seeding the large world…`);
  let stack: RunningStack | undefined;
  let subscriber: Subscriber | undefined;
  try {
    const seedStart = performance.now();
    // Production mode: no per-request diagnostics. The database is empty, so the stack seeds the
    // given world (the one the storm and the oracle were computed from) before serving.
    // A start that times out is abandoned, not stopped: the process exits on the error anyway.
    const startup = startStack({ config: { ...testConfig({ development: false }), mongodbUri: db.uri }, freePorts: true, seed: 'large', world, log: (m) => log(`  ${m}`) });
    stack = await withTimeout(startup, STACK_START_TIMEOUT_MS, 'starting and seeding the stack');
    const seedSeconds = (performance.now() - seedStart) / 1000;
    const alarmsUrl = stack.subgraphs.assurance.url.replace(/\/graphql$/, '/alarms');
    log(`run ${runNo}: stack up in ${seedSeconds.toFixed(0)} s (gateway ${stack.gateway.url}); subscribing to alarmChanged(minSeverity: WARNING) through the gateway…`);
    subscriber = await subscribe(stack, storm, alarmsUrl);

    // (2) The storm: the root cause alone first (its children must find it stored), then the rest, several requests in flight.
    log(`run ${runNo}: storm — root cause on ${storm.fibre}, then ${ALARMS} alarms on ${storm.resourcesBelow} resources below it, ${storm.bodies.length} requests of ≤ ${PER_REQUEST} lines, ${IN_FLIGHT} in flight; load ${load1()}`);
    const cpu0 = process.cpuUsage();
    const dbCpu0 = processCpuMs(db.pid);
    const ingestStart = performance.now();
    const ingestStartEpoch = Date.now();
    const root = await postAlarms(alarmsUrl, storm.rootLine + '\n');
    if (!root.ids.length) throw new Error(`the root-cause alarm was refused: ${root.firstError}`);
    const rootId = root.ids[0];
    const answers: IngestAnswer[] = new Array(storm.bodies.length);
    let next = 0;
    const answered = { answered: 1 };
    const progress = setInterval(() => log(`  … ${answered.answered} answered, ${round(answered.answered / ((performance.now() - ingestStart) / 1000))} alarms/s so far; load ${load1()}`), 10_000);
    try {
      await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, storm.bodies.length) }, async () => {
        while (next < storm.bodies.length) {
          const i = next++;
          answers[i] = await postAlarms(alarmsUrl, storm.bodies[i], answered);
        }
      }));
    } finally {
      clearInterval(progress);
    }
    const ingestSeconds = (performance.now() - ingestStart) / 1000;
    const ingestEndEpoch = Date.now();
    const cpu = process.cpuUsage(cpu0);
    const stormLoad = loadavg()[0];
    const dbCpuSeconds = (processCpuMs(db.pid) - dbCpu0) / 1000;
    const stormIds = answers.flatMap((a) => a.ids);
    const errors = answers.reduce((s, a) => s + a.errors, 0);
    const updated = answers.reduce((s, a) => s + a.updated, 0);
    const firstError = answers.find((a) => a.firstError)?.firstError;
    const alarmsPerSecond = (1 + stormIds.length) / ingestSeconds;
    log(`run ${runNo}: stored and correlated ${1 + stormIds.length} alarms in ${ingestSeconds.toFixed(1)} s = ${round(alarmsPerSecond)} alarms/s (${errors} refused${firstError ? `, first: ${firstError}` : ''}; ${updated} deduplicated); load ${load1()}`);

    // (4) Deliveries: everything raised in the storm should reach the subscriber; wait for the tail.
    // A change's `at` is when it was recorded, i.e. when its batch's transaction began: the delay
    // covers storing and committing the batch, the outbox feed, the subgraph and the gateway.
    const report = await subscriber.finish([rootId, ...stormIds]);
    const latencies = report.receivedAt.map((r, i) => r - report.at[i]).sort();
    const during = Float64Array.from(report.receivedAt.map((r, i) => r - report.at[i]).filter((_, i) => report.receivedAt[i] <= ingestEndEpoch)).sort();
    const lastArrival = report.receivedAt.reduce((a, b) => Math.max(a, b), ingestEndEpoch);
    log(`run ${runNo}: ${report.delivered} of ${1 + stormIds.length} storm alarms delivered (${report.ended}); ${latencies.length} deliveries standing for ${report.changes} changes, ${during.length} of them before the storm's last answer; last ${((lastArrival - ingestEndEpoch) / 1000).toFixed(1)} s after it`);
    if (report.receivedAt.length && report.receivedAt[0] < ingestStartEpoch) log(`  (a delivery arrived before the storm began: clock or probe mix-up)`);

    // The group the correlation built, as the gateway shows it.
    const group = (await gql<{ alarm: { isRootCause: boolean; state: string; childAlarms: { totalCount: number } } | null }>(stack.gateway.url, GROUP, { id: rootId })).alarm;
    if (!group) throw new Error(`the gateway does not know the root-cause alarm ${rootId}`);
    log(`run ${runNo}: root ${rootId} isRootCause=${group.isRootCause} state=${group.state}, childAlarms.totalCount = ${group.childAlarms.totalCount} (${stormIds.length} storm alarms stored)`);

    // (3) The NOC's question: the root cause's impact, counts and first page, through the gateway.
    const timed = async () => {
      const t0 = performance.now();
      const data = await gql<Impact>(stack!.gateway.url, IMPACT, { id: rootId });
      return { ms: performance.now() - t0, data };
    };
    const cold = await timed();
    const impactWrong = impactMismatch(cold.data, expected);
    const warm: number[] = [];
    for (let i = 0; i < SAMPLES; i++) warm.push((await timed()).ms);
    const sortedWarm = Float64Array.from(warm).sort();
    const { impact, impactedCustomers } = cold.data.alarm;
    log(`run ${runNo}: impact ${JSON.stringify(impact)}, impactedCustomers.totalCount ${impactedCustomers.totalCount}${impactWrong ? ` — MISMATCH with the topology: ${impactWrong}` : ' (= the topology oracle)'}; cold ${round(cold.ms)} ms, warm p50 ${round(percentile(sortedWarm, 50))} ms p90 ${round(percentile(sortedWarm, 90))} ms over ${SAMPLES}`);

    return {
      seedSeconds, alarmsPerSecond, ingestSeconds, stored: 1 + stormIds.length, updated, errors,
      stackCpuSeconds: (cpu.user + cpu.system) / 1e6, dbCpuSeconds,
      alarmsPerCpuSecond: (1 + stormIds.length) / ((cpu.user + cpu.system) / 1e6 + dbCpuSeconds), load: stormLoad,
      children: group.childAlarms.totalCount, rootIsRootCause: group.isRootCause,
      impactCold: cold.ms, impactP50: percentile(sortedWarm, 50), impactP90: percentile(sortedWarm, 90), impactMax: sortedWarm[sortedWarm.length - 1],
      impact: { ...impact, totalCount: impactedCustomers.totalCount }, impactWrong,
      deliveries: latencies.length, delivered: report.delivered, duringStorm: during.length,
      deliveryP50: percentile(latencies, 50), deliveryP99: percentile(latencies, 99), deliveryMax: latencies.length ? latencies[latencies.length - 1] : NaN,
      stormDeliveryP50: percentile(during, 50), stormDeliveryP99: percentile(during, 99),
      drainSeconds: (lastArrival - ingestEndEpoch) / 1000,
      changes: report.changes, duplicates: report.duplicates, outOfOrder: report.outOfOrder, ended: report.ended,
    };
  } finally {
    await subscriber?.close().catch(() => {});
    if (stack) await withTimeout(stack.stop(), 60_000, 'stopping the stack').catch((err: Error) => log(`warning: ${err.message}`));
    await db.stop();
  }
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  log(`bench:assurance — ${ALARMS} storm alarms × ${RUNS} run(s), ${SAMPLES} warm impact samples; node ${process.version}, ${cpus().length} CPUs, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const world = generateWorld('large');
  const storm = buildStorm(world, ALARMS);
  const expected = expectedImpact(world, storm.fibre);
  log(`large world: ${world.customers.length} customers, ${world.resources.length} resources; fibre ${storm.fibre}: ${storm.resourcesBelow} resources below, ${expected.customerCount} customers behind`);
  const rows: Row[] = [];
  for (let r = 1; r <= RUNS; r++) {
    const row = await run(world, storm, expected, r);
    rows.push(row);
    console.log(`run ${r}: ${round(row.alarmsPerSecond)} alarms/s (${row.stored} in ${row.ingestSeconds.toFixed(1)} s; CPU: stack ${row.stackCpuSeconds.toFixed(1)} s, database ${row.dbCpuSeconds.toFixed(1)} s = ${round(row.alarmsPerCpuSecond)} alarms per CPU-second; load ${row.load.toFixed(2)}); ` +
      `children ${row.children}; impact cold ${round(row.impactCold)} ms, warm p50 ${round(row.impactP50)} ms p90 ${round(row.impactP90)} ms; ` +
      `delivery p50 ${round(row.deliveryP50)} ms p99 ${round(row.deliveryP99)} ms (during the storm p50 ${round(row.stormDeliveryP50)} ms p99 ${round(row.stormDeliveryP99)} ms) over ${row.deliveries} deliveries`);
  }
  const m = (k: { [K in keyof Row]-?: Row[K] extends number ? K : never }[keyof Row]) => median(rows.map((r) => r[k]));
  const rate = m('alarmsPerSecond');
  const p50 = m('impactP50');
  const problems = [
    ...rows.flatMap((r, i) => [
      r.errors && `run ${i + 1}: ${r.errors} alarms refused`,
      r.updated && `run ${i + 1}: ${r.updated} storm alarms deduplicated instead of created`,
      r.children !== r.stored - 1 && `run ${i + 1}: the root has ${r.children} children, not ${r.stored - 1}`,
      !r.rootIsRootCause && `run ${i + 1}: the root alarm is not a root cause`,
      r.impactWrong && `run ${i + 1}: impact ${r.impactWrong}`,
      r.delivered !== r.stored && `run ${i + 1}: ${r.stored - r.delivered} storm alarms never delivered (${r.ended})`,
      r.duplicates && `run ${i + 1}: ${r.duplicates} duplicate deliveries`,
      r.outOfOrder && `run ${i + 1}: ${r.outOfOrder} deliveries out of order`,
    ]),
  ].filter(Boolean);
  const last = rows[rows.length - 1];
  console.log(`\nbench:assurance (${ALARMS} alarms behind ${storm.fibre}, ${expected.customerCount} customers; median of ${RUNS} run(s); ${cpus().length} CPUs, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}): ` +
    `${round(rate)} alarms/s stored and correlated (target ≥ ${TARGET_RATE}: ${rate >= TARGET_RATE ? 'MET' : 'MISSED'}; ${round(m('alarmsPerCpuSecond'))} alarms per CPU-second of stack + database); ` +
    `impact of the root cause (${last.impact.customerCount} customers, ${last.impact.serviceCount} services, first page of 10) p50 ${round(p50)} ms, p90 ${round(m('impactP90'))} ms, cold ${round(m('impactCold'))} ms (target p50 < ${TARGET_IMPACT_P50} ms: ${p50 < TARGET_IMPACT_P50 ? 'MET' : 'MISSED'}); ` +
    `alarm-to-subscriber delivery p50 ${round(m('deliveryP50'))} ms, p99 ${round(m('deliveryP99'))} ms over ${m('deliveries')} deliveries for ${m('delivered')} of ${m('stored')} alarms (${m('changes')} changes; coalescing merges only repeated changes of one alarm), ` +
    `p99 ${round(m('stormDeliveryP99'))} ms among the ${m('duringStorm')} received while the storm was still being ingested, last delivery ${m('drainSeconds').toFixed(1)} s after the storm's last answer; ` +
    `${problems.length ? `PROBLEMS: ${problems.join('; ')}` : 'children, impact counts and deliveries all correct'}`);
  if (problems.length) process.exitCode = 1;
}

// Ctrl-C or a kill: stop the database process too (the exit handler above), not only this one.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.once(signal, () => process.exit(code));

main().then(
  // Closed servers can leave driver timers behind for a while; the benchmark has said all it has to say.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
