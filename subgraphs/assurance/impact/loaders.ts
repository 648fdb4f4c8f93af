import DataLoader from 'dataloader';
import type { AppConfig } from '../../../kit/config.js';
import { groupBy, ONE_ROUND_TRIP } from '../../../kit/loaders.js';
import { ALARM_ORDER } from '../alarm-filter.js';
import { ACTIVE_ALARM_STATES } from '../domain.js';
import type { AlarmDoc, Models } from '../models.js';
import { fetchCustomerTally, type CustomerTally } from './customer-api.js';
import { resourceSets, singleResource, type ImpactScope } from './group.js';
import { fetchCustomerFootprints, fetchServiceFootprints, type Footprint } from './footprint-api.js';
import { fetchSetImpacts, type ImpactPart, type ResourceSet } from './set-impact-api.js';

/** One part of one set's impact. */
export interface PartKey {
  set: ResourceSet;
  part: ImpactPart;
}

/** A part as inventory answered it, with the set's counts. */
export interface PartReply<T> {
  serviceCount: number;
  customerCount: number;
  customerSetKey: string;
  value: T;
}

function setImpactLoader(config: AppConfig) {
  return new DataLoader<PartKey, PartReply<unknown>, string>(
    async (keys) => {
      const asks = new Map<string, { set: ResourceSet; parts: ImpactPart[] }>();
      for (const { set, part } of keys) {
        const ask = asks.get(set.key);
        if (ask) ask.parts.push(part);
        else asks.set(set.key, { set, parts: [part] });
      }
      const replies = await fetchSetImpacts(config, asks);
      return keys.map(({ set, part }) => {
        const { reply, aliasOf } = replies.get(set.key)!;
        const value = part.kind === 'counts' ? null : reply[aliasOf(part)];
        return { serviceCount: reply.serviceCount, customerCount: reply.customerCount, customerSetKey: reply.customerSetKey, value };
      });
    },
    { cacheKeyFn: ({ set, part }) => `${set.key}|${JSON.stringify(part)}` },
  );
}

/** Active alarms per resource, one query for every resource of the request, newest first. */
function activeAlarmsLoader(models: Models) {
  return new DataLoader<string, AlarmDoc[]>(async (resourceIds) => {
    const docs = await models.Alarm.find({ resourceId: { $in: [...resourceIds] }, state: { $in: [...ACTIVE_ALARM_STATES] } })
      .sort(ALARM_ORDER).batchSize(ONE_ROUND_TRIP).lean<AlarmDoc[]>().exec();
    const byResource = groupBy(docs, (d) => d.resourceId);
    return resourceIds.map((id) => byResource.get(id) ?? []);
  });
}

/** The impact feature's per-request loaders: every remote question of a request asked once, batched. */
function createImpactLoaders(models: Models, config: AppConfig) {
  const setImpact = setImpactLoader(config);
  return {
    /**
     * Alarm → the resource set its impact is computed over (see `resourceSets`). While a group's
     * children are read, inventory already walks the root's own resource: the set's question
     * then finds that walk in inventory's impact cache, so the two costs overlap instead of adding up.
     */
    resourceSet: new DataLoader<ImpactScope, ResourceSet, string>(
      // Waited for: a set asked while the root's walk is still running would walk it a second time.
      // Failures are left to the set's own question to report.
      (scopes) => resourceSets(models, scopes, (roots) =>
        Promise.all(roots.map((root) => setImpact.load({ set: singleResource(root.resourceId), part: { kind: 'counts' } }).catch(() => null)))),
      { cacheKeyFn: (s) => s.alarmId },
    ),
    setImpact,
    /** Segment and tier tally of a set's impacted customers (named by `customerSetKey`; the ids only when the customer subgraph asks for them). */
    tally: new DataLoader<{ set: ResourceSet; customerSetKey: string }, CustomerTally, string>(
      (asks) => Promise.all(asks.map(({ set, customerSetKey }) => fetchCustomerTally(config, customerSetKey, async () =>
        ((await setImpact.load({ set, part: { kind: 'allCustomerIds' } })) as PartReply<string[]>).value))),
      { cacheKeyFn: (ask) => ask.customerSetKey },
    ),
    /** Footprints of each customer's ACTIVE services. */
    customerFootprints: new DataLoader<string, Footprint[]>(async (customerIds) => {
      const byCustomer = groupBy(await fetchCustomerFootprints(config, customerIds), (f) => f.customerId ?? '');
      return customerIds.map((id) => byCustomer.get(id) ?? []);
    }),
    /** Footprint of a service; null for an unknown service. */
    serviceFootprint: new DataLoader<string, Footprint | null>(async (serviceIds) => {
      const byService = new Map((await fetchServiceFootprints(config, serviceIds)).map((f) => [f.serviceId, f]));
      return serviceIds.map((id) => byService.get(id) ?? null);
    }),
    activeAlarmsOn: activeAlarmsLoader(models),
  };
}

export type ImpactLoaders = ReturnType<typeof createImpactLoaders>;

// Keyed by the request's own loaders object (one per request): the shared loaders file stays untouched.
const perRequest = new WeakMap<object, ImpactLoaders>();

/** The impact loaders of the request whose context this is, created on first use. */
export function impactLoaders(ctx: { models: Models; loaders: object; config: AppConfig }): ImpactLoaders {
  let loaders = perRequest.get(ctx.loaders);
  if (!loaders) perRequest.set(ctx.loaders, (loaders = createImpactLoaders(ctx.models, ctx.config)));
  return loaders;
}
