import type { AppConfig } from '../../../kit/config.js';
import type { Models } from '../models.js';
import { ServiceDirectory } from './directory.js';
import { evaluateSeries, seriesId, type SeriesKey, type ViolationChange } from './evaluate.js';
import { syncViolationAlarms } from './qos-alarms.js';
import { SLA_TERMS } from './terms.js';
import { coverageOf } from './violations.js';

/** Indicators some tier guarantees: only their series are worth evaluating. */
const GUARANTEED = new Set(Object.values(SLA_TERMS).flatMap((t) => (t ? Object.keys(t.maxima) : [])));

/** A stored service measurement, as SLA evaluation needs to hear of it. */
export interface StoredServicePoint {
  serviceId: string;
  indicator: string;
  /** End of the point's period. */
  end: Date;
}

/** Series evaluated at once: each is a transaction, and all of them append to the one outbox counter. */
const CONCURRENCY = 4;
/** The retry sweep leaves alarm follow-ups younger than this to the request that started them. */
const ALARM_GRACE_MS = 30_000;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/**
 * SLA evaluation of one running assurance subgraph. Ingestion hands it the service points it
 * stored; it marks their series pending, evaluates them right away (so a violation exists when
 * the ingesting request returns) and raises or clears the quality-of-service alarms. Whatever
 * fails on the way (a subgraph it asks is down, a crash) stays pending in the database and is
 * finished by `sweep`, which the subgraph's background work runs periodically.
 */
export class SlaEngine {
  readonly directory: ServiceDirectory;
  log: (msg: string) => void = (msg) => console.warn(`[assurance] ${msg}`);

  constructor(private readonly models: Models, private readonly config: AppConfig) {
    this.directory = new ServiceDirectory(config);
  }

  /** After service points were stored: marks and evaluates their series. Never throws: ingestion has succeeded whatever happens here. */
  async onStored(points: readonly StoredServicePoint[]): Promise<void> {
    const latest = new Map<string, StoredServicePoint>();
    for (const p of points) {
      if (!GUARANTEED.has(p.indicator)) continue;
      const key = seriesId(p);
      if (!latest.has(key) || latest.get(key)!.end < p.end) latest.set(key, p);
    }
    if (!latest.size) return;
    try {
      await this.models.SlaSeries.bulkWrite([...latest].map(([_id, p]) => ({
        updateOne: {
          filter: { _id },
          update: { $max: { pendingUntil: p.end }, $set: { pending: true }, $setOnInsert: { serviceId: p.serviceId, indicator: p.indicator, evaluatedUntil: null } },
          upsert: true,
        },
      })), { ordered: false });
      await this.evaluate([...latest.values()]);
    } catch (err) {
      this.log(`SLA evaluation deferred to the retry sweep: ${(err as Error).message}`);
    }
  }

  /** Evaluates these series (facts fetched once for all), then follows up on the alarms of what changed. */
  async evaluate(keys: readonly SeriesKey[]): Promise<void> {
    const facts = await this.directory.lookup(keys.map((k) => k.serviceId));
    const judged = await this.settleUncovered(keys.filter((k) => !coverageOf(facts.get(k.serviceId), k.indicator)));
    const changes: ViolationChange[] = [];
    await eachLimited(keys.filter((k) => !judged.has(seriesId(k))), CONCURRENCY, async (key) => {
      changes.push(...(await evaluateSeries(this.models, key, facts.get(key.serviceId) ?? null, this.config.slaEvaluationWindowMs)));
    });
    if (changes.length) await syncViolationAlarms({ models: this.models, config: this.config }, changes.map((c) => c.violationId), changes);
  }

  /**
   * Most series are not under SLA (consumers' services): they only need their watermark moved,
   * which costs two commands for all of them instead of a transaction each. A series with an
   * open violation (its customer left the SLA meanwhile) is left to the full evaluation, which
   * judges the violation to its end. The watermark moves only if no point arrived meanwhile.
   */
  private async settleUncovered(keys: readonly SeriesKey[]): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const [series, open] = await Promise.all([
      this.models.SlaSeries.find({ _id: { $in: keys.map(seriesId) }, pending: true }, { pendingUntil: 1 }).lean<{ _id: string; pendingUntil: Date }[]>(),
      this.models.SlaViolation.find({ state: 'OPEN', serviceId: { $in: [...new Set(keys.map((k) => k.serviceId))] } }, { serviceId: 1, indicator: 1 }).lean<SeriesKey[]>(),
    ]);
    const withOpen = new Set(open.map(seriesId));
    const settled = series.filter((s) => !withOpen.has(s._id));
    if (settled.length) {
      await this.models.SlaSeries.bulkWrite(settled.map((s) => ({
        updateOne: { filter: { _id: s._id, pendingUntil: s.pendingUntil }, update: { $set: { pending: false, evaluatedUntil: s.pendingUntil } } },
      })), { ordered: false });
    }
    return new Set(keys.map(seriesId).filter((id) => !withOpen.has(id)));
  }

  /** Finishes what failed earlier: series still pending, alarms not yet raised or cleared. */
  async sweep(): Promise<void> {
    const pending = await this.models.SlaSeries.find({ pending: true }, { serviceId: 1, indicator: 1 }).lean<SeriesKey[]>();
    if (pending.length) await this.evaluate(pending);
    const stale = await this.models.SlaViolation.find({ alarmPending: true, updatedAt: { $lt: new Date(Date.now() - ALARM_GRACE_MS) } }, { _id: 1 }).lean<{ _id: string }[]>();
    if (stale.length) await syncViolationAlarms({ models: this.models, config: this.config }, stale.map((v) => v._id), []);
  }
}

// Keyed by the models object, created once per running subgraph (as the assurance runtime is):
// two subgraphs in one process (tests) never share a cache or a sweep.
const engines = new WeakMap<Models, SlaEngine>();

/** The SLA engine of the subgraph these models belong to, created on first use. */
export function slaEngine(deps: { models: Models; config: AppConfig }): SlaEngine {
  let engine = engines.get(deps.models);
  if (!engine) engines.set(deps.models, (engine = new SlaEngine(deps.models, deps.config)));
  return engine;
}
