import type mongoose from 'mongoose';
import type { AppConfig } from '../../../kit/config.js';
import { connectDatabase } from '../../../kit/db.js';
import { startSubgraph, type RunningSubgraph } from '../../../kit/subgraph.js';
import { useStarted } from '../../../kit/test-suite.js';
import { graphqlRequest, seedSubgraph, startTestMongo, testConfig, type GraphQLResult } from '../../../kit/testing.js';
import type { World } from '../../../seed/world.js';
import { subgraph as inventory } from '../../inventory/index.js';
import { subgraph as assurance } from '../index.js';
import { createModels, type AlarmDoc, type Models } from '../models.js';
import type { StoredEvent } from '../outbox/index.js';

/**
 * The two real subgraphs alarm management needs — inventory (the topology assurance replicates
 * through its API) and assurance — over one fresh database seeded with `world`, on free ports,
 * plus a connection of the test's own to the assurance database to check what was stored.
 */
export interface AlarmStack {
  assurance: RunningSubgraph;
  inventory: RunningSubgraph;
  models: Models;
  query<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  /** POSTs a body to a path of the assurance subgraph (e.g. `/alarms`). */
  post(path: string, body: string): Promise<Response>;
  /** The assurance outbox, in `seq` order, optionally only events after `seq`. */
  events(afterSeq?: number): Promise<StoredEvent[]>;
  /** Highest `seq` stored (0 when none): take it before an operation, read `events(after)` afterwards. */
  lastSeq(): Promise<number>;
  alarm(id: string): Promise<AlarmDoc | null>;
  stop(): Promise<void>;
}

export async function startAlarmStack(world: World, overrides: Partial<AppConfig> = {}): Promise<AlarmStack> {
  const mongo = await startTestMongo();
  await Promise.all([seedSubgraph(inventory, mongo.uri, world), seedSubgraph(assurance, mongo.uri, world)]);
  const config = testConfig(overrides);
  config.subgraphs = { ...config.subgraphs };
  const started: RunningSubgraph[] = [];
  let conn: mongoose.Connection | undefined;
  const stop = async () => {
    await conn?.close();
    for (const s of started.reverse()) await s.stop();
    await mongo.stop();
  };
  try {
    const inv = await startSubgraph(inventory, config, mongo.uri, 0, { log: () => {} });
    started.push(inv);
    config.subgraphs.inventory = { port: Number(new URL(inv.url).port), url: inv.url };
    const asr = await startSubgraph(assurance, config, mongo.uri, 0, { log: () => {} });
    started.push(asr);
    conn = await connectDatabase(mongo.uri, 'assurance');
    const models = createModels(conn);
    const base = asr.url.replace(/\/graphql$/, '');
    const events = models.AssuranceEvent;
    return {
      assurance: asr,
      inventory: inv,
      models,
      query: (q, v) => graphqlRequest(asr.url, q, v),
      post: (path, body) => fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body }),
      events: (after = 0) => events.find({ seq: { $gt: after } }).sort({ seq: 1 }).lean<StoredEvent[]>().exec(),
      lastSeq: async () => (await events.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean<StoredEvent>().exec())?.seq ?? 0,
      alarm: (id) => models.Alarm.findById(id).lean<AlarmDoc>().exec(),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The alarm stack for the calling test file, started in `beforeAll` (see `useStarted`). */
export function useAlarmStack(world: () => World, overrides: Partial<AppConfig> = {}): AlarmStack {
  return useStarted(() => startAlarmStack(world(), overrides));
}
