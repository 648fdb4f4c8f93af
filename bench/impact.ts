import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningStack } from '../kit/stack.js';
import { percentile } from './load.js';

/** One impact query's latency with the inventory impact cache missed or hit. */
export interface ImpactRow {
  query: string;
  cache: 'miss (after a write)' | 'hit';
  /** Samples whose database command count confirmed the cache state / samples taken. */
  verified: string;
  p50: number;
  p99: number;
  totalCount: number;
}

interface Sample {
  ms: number;
  /** Commands the inventory subgraph issued (development diagnostics): a cache hit issues fewer. */
  inventoryCommands: number;
  totalCount: number;
}

interface ImpactReply {
  data?: { resource?: Imp; alarm?: { alarmedObject: Imp } | null } | null;
  errors?: unknown[];
  /** The gateway reports commands per subgraph; a subgraph asked directly reports its own count. */
  extensions?: { dbCommands?: Record<string, number> | number };
}
type Imp = { impactedCustomers: { totalCount: number } } | null;

/** Time to change-stream delivery plus margin; the command count still checks every sample. */
const SETTLE_MS = 100;
const WARM_MISSES = 5;

async function sample(url: string, body: string): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await res.json()) as ImpactReply;
  const ms = performance.now() - t0;
  if (json.errors || !json.data) throw new Error(`impact query failed: ${JSON.stringify(json.errors ?? json).slice(0, 500)}`);
  const imp = json.data.resource ?? json.data.alarm?.alarmedObject;
  const commands = json.extensions?.dbCommands;
  const inventoryCommands = typeof commands === 'number' ? commands : commands?.inventory;
  if (inventoryCommands === undefined) throw new Error('no dbCommands in the response: the impact stack must run with development diagnostics');
  return { ms, inventoryCommands, totalCount: imp?.impactedCustomers.totalCount ?? -1 };
}

const stats = (samples: Sample[]) => {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/**
 * Sequential latency of one impact query through the gateway, both ways the inventory subgraph can
 * answer it. Its impact cache is process-wide, lives 30 s, and is cleared by any change-stream event
 * on `services`/`resources` — so rotating over the few big resources would only measure misses once
 * each and then hits. Instead every miss sample follows a real write to the alarmed resource's own
 * document (a field no resolver reads), which is exactly what a NOC sees after a topology change.
 * Which samples really missed is checked from the inventory's database command count.
 */
export async function measureImpact(stack: RunningStack, name: string, body: string, resourceId: string, opts: { misses: number; hits: number; url?: string }, log: (line: string) => void): Promise<ImpactRow[]> {
  const url = opts.url ?? stack.gateway.url;
  const resources = stack.subgraphs.inventory.conn.db!.collection<{ _id: string }>('resources');
  let touches = 0;
  const invalidate = async () => {
    await resources.updateOne({ _id: resourceId }, { $set: { benchCacheBuster: ++touches } });
    await sleep(SETTLE_MS);
  };

  // The cache only serves once its change streams are open (opened by the first request), so
  // warm up until a repeat costs fewer commands than a walk. The write first makes sure that
  // walk is one, even when an earlier query already cached this resource's impact.
  await invalidate();
  const first = await sample(url, body);
  let hitCommands = first.inventoryCommands;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && hitCommands >= first.inventoryCommands) {
    await sleep(200);
    hitCommands = (await sample(url, body)).inventoryCommands;
  }
  if (hitCommands >= first.inventoryCommands) log(`  ${name}: the impact cache never served a hit (${first.inventoryCommands} commands every time)`);

  // A few unmeasured walks first: the first walks after seeding run cold code (and, measured
  // first, would make whichever query comes first look ~50% slower).
  for (let i = 0; i < WARM_MISSES; i++) {
    await invalidate();
    await sample(url, body);
  }
  const misses: Sample[] = [];
  for (let i = 0; i < opts.misses; i++) {
    await invalidate();
    misses.push(await sample(url, body));
  }
  const hits: Sample[] = [];
  for (let i = 0; i < opts.hits; i++) hits.push(await sample(url, body));

  const realMisses = misses.filter((s) => s.inventoryCommands > hitCommands);
  const realHits = hits.filter((s) => s.inventoryCommands <= hitCommands);
  log(`  ${name}: miss ${first.inventoryCommands} inventory commands, hit ${hitCommands}; first request ${first.ms.toFixed(0)} ms`);
  return [
    { query: name, cache: 'miss (after a write)', verified: `${realMisses.length}/${misses.length}`, ...stats(realMisses), totalCount: misses[0]?.totalCount ?? -1 },
    { query: name, cache: 'hit', verified: `${realHits.length}/${hits.length}`, ...stats(realHits), totalCount: hits[0]?.totalCount ?? -1 },
  ];
}
