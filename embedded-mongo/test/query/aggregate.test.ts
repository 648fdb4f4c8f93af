import { Decimal128, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/query/aggregate.js';
import type { Doc } from '../../src/types.js';
import { deepFreeze, errorOf } from '../helpers/assertions.js';

const oid = (n: number) => ObjectId.createFromHexString(n.toString(16).padStart(24, '0'));

const customers: Doc[] = [
  { _id: oid(1), name: 'Ada', region: 'north' },
  { _id: oid(2), name: 'Bob', region: 'south' },
  { _id: oid(3), name: 'Cy', region: 'north' },
];
const orders: Doc[] = [
  { _id: 101, customerId: oid(1), total: 30, items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }], status: 'paid' },
  { _id: 102, customerId: oid(2), total: Decimal128.fromString('12.5'), items: [{ sku: 'a', qty: 5 }], status: 'open' },
  { _id: 103, customerId: oid(1), total: 7, items: [], status: 'paid' },
  { _id: 104, customerId: oid(9), total: 1, status: 'open' },
];
const collections: Record<string, Doc[]> = { customers, orders };
const resolveCollection = (name: string) => collections[name] ?? [];
const run = (docs: Doc[], pipeline: Doc[], vars?: Doc) => runPipeline(docs, pipeline, { resolveCollection, variables: vars });

describe('basic stages', () => {
  it('$match (with $expr), $project, $sort, $skip, $limit', () => {
    const out = run(orders, [
      { $match: { status: 'paid', $expr: { $gt: ['$total', 5] } } },
      { $project: { _id: 1, total: 1, n: { $size: '$items' } } },
      { $sort: { total: 1 } },
    ]);
    expect(out).toEqual([{ _id: 103, total: 7, n: 0 }, { _id: 101, total: 30, n: 2 }]);
    expect(run(orders, [{ $sort: { _id: -1 } }, { $skip: 1 }, { $limit: 2 }]).map((d) => d._id)).toEqual([103, 102]);
  });

  it('$sort uses BSON order across numeric types', () => {
    expect(run(orders, [{ $sort: { total: -1 } }]).map((d) => d._id)).toEqual([101, 102, 103, 104]);
  });

  it('$addFields/$set (dotted, through arrays) and $unset', () => {
    const out = run([orders[0]], [
      { $set: { 'items.checked': true, summary: { count: { $size: '$items' } } } },
      { $addFields: { 'summary.paid': { $eq: ['$status', 'paid'] } } },
      { $unset: ['status', 'items.qty'] },
    ]);
    expect(out).toEqual([
      {
        _id: 101,
        customerId: oid(1),
        total: 30,
        items: [{ sku: 'a', checked: true }, { sku: 'b', checked: true }],
        summary: { count: 2, paid: true },
      },
    ]);
  });

  it('$unwind with includeArrayIndex and preserveNullAndEmptyArrays', () => {
    expect(run(orders, [{ $unwind: '$items' }, { $project: { sku: '$items.sku' } }])).toEqual([
      { _id: 101, sku: 'a' },
      { _id: 101, sku: 'b' },
      { _id: 102, sku: 'a' },
    ]);
    const kept = run(orders, [{ $unwind: { path: '$items', includeArrayIndex: 'idx', preserveNullAndEmptyArrays: true } }, { $project: { idx: 1, hasItems: { $ne: [{ $type: '$items' }, 'missing'] } } }]);
    expect(kept).toEqual([
      { _id: 101, idx: 0, hasItems: true },
      { _id: 101, idx: 1, hasItems: true },
      { _id: 102, idx: 0, hasItems: true },
      { _id: 103, idx: null, hasItems: false },
      { _id: 104, idx: null, hasItems: false },
    ]);
  });

  it('$count, $sortByCount, $replaceRoot, $replaceWith', () => {
    expect(run(orders, [{ $match: { status: 'open' } }, { $count: 'n' }])).toEqual([{ n: 2 }]);
    expect(run(orders, [{ $match: { status: 'none' } }, { $count: 'n' }])).toEqual([]);
    expect(run(orders, [{ $sortByCount: '$status' }])).toEqual([{ _id: 'paid', count: 2 }, { _id: 'open', count: 2 }]);
    expect(run([orders[0]], [{ $replaceRoot: { newRoot: { $arrayElemAt: ['$items', 1] } } }])).toEqual([{ sku: 'b', qty: 2 }]);
    expect(run([orders[0]], [{ $replaceWith: { id: '$_id', first: { $first: '$items.sku' } } }])).toEqual([{ id: 101, first: 'a' }]);
    expect(errorOf(() => run([orders[0]], [{ $replaceWith: '$total' }])).code).toBe(40228);
  });

  it('$bucket groups by boundaries in BSON order with a default bucket', () => {
    const out = run(orders, [{ $bucket: { groupBy: '$total', boundaries: [0, 10, 20], default: 'big', output: { ids: { $push: '$_id' } } } }]);
    expect(out).toEqual([
      { _id: 0, ids: [103, 104] },
      { _id: 10, ids: [102] },
      { _id: 'big', ids: [101] },
    ]);
  });

  it('$sample returns distinct documents', () => {
    const out = run(orders, [{ $sample: { size: 3 } }]);
    expect(out).toHaveLength(3);
    expect(new Set(out.map((d) => d._id)).size).toBe(3);
  });
});

describe('$group', () => {
  it('groups by ObjectId and accumulates', () => {
    const out = run(orders, [
      { $group: { _id: '$customerId', n: { $sum: 1 }, total: { $sum: '$total' }, first: { $first: '$_id' }, ids: { $push: '$_id' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out.map((g) => [(g._id as ObjectId).toHexString().slice(-1), g.n, g.ids])).toEqual([
      ['1', 2, [101, 103]],
      ['2', 1, [102]],
      ['9', 1, [104]],
    ]);
    expect(out[0]).toMatchObject({ total: 37, first: 101 });
  });

  it('group keys use BSON equality: numbers of every width are one group, missing is null', () => {
    const docs = [{ k: 1 }, { k: 1.0 }, { k: Decimal128.fromString('1.00') }, { k: null }, {}, { k: oid(5) }, { k: oid(5) }];
    const out = run(docs, [{ $group: { _id: '$k', n: { $sum: 1 } } }]);
    expect(out.map((g) => g.n)).toEqual([3, 2, 2]);
    expect(out[1]._id).toBeNull();
  });

  it('$max/$min/$addToSet are BSON-aware', () => {
    const docs = [{ v: oid(3), t: new Date(5) }, { v: oid(10), t: new Date(1) }, { v: oid(2), t: null }];
    const [g] = run(docs, [{ $group: { _id: null, hi: { $max: '$v' }, lo: { $min: '$t' }, set: { $addToSet: '$v' } } }]);
    expect((g.hi as ObjectId).toHexString()).toBe(oid(10).toHexString());
    expect(g.lo).toEqual(new Date(1));
    expect(g.set).toHaveLength(3);
  });

  it('$sum/$avg add numbers of every width and keep Decimal128 results decimal', () => {
    const [g] = run(orders, [{ $group: { _id: null, sum: { $sum: '$total' }, avg: { $avg: '$total' }, n: { $sum: 1 } } }]);
    expect(g.sum).toBeInstanceOf(Decimal128);
    expect(String(g.sum)).toBe('50.5');
    expect(String(g.avg)).toBe('12.625');
    expect(g.n).toBe(4);
    expect(run([{ xs: [1, 2, 'x'] }], [{ $project: { _id: 0, s: { $sum: '$xs' }, a: { $avg: '$xs' } } }])).toEqual([{ s: 3, a: 1.5 }]);
  });

  it('$group by a compound key', () => {
    const out = run(orders, [{ $group: { _id: { s: '$status', big: { $gte: ['$total', 10] } }, n: { $sum: 1 } } }]);
    expect(out).toEqual([
      { _id: { s: 'paid', big: true }, n: 1 },
      { _id: { s: 'open', big: true }, n: 1 },
      { _id: { s: 'paid', big: false }, n: 1 },
      { _id: { s: 'open', big: false }, n: 1 },
    ]);
  });
});

describe('$lookup', () => {
  it('joins by localField/foreignField across collections (ObjectId equality)', () => {
    const out = run(customers, [
      { $lookup: { from: 'orders', localField: '_id', foreignField: 'customerId', as: 'orders' } },
      { $project: { name: 1, orderIds: '$orders._id', _id: 0 } },
    ]);
    expect(out).toEqual([
      { name: 'Ada', orderIds: [101, 103] },
      { name: 'Bob', orderIds: [102] },
      { name: 'Cy', orderIds: [] },
    ]);
  });

  it('matches array local values element-wise and missing local values against null/missing', () => {
    const skus = [{ _id: 'a', label: 'Apple' }, { _id: 'b', label: 'Bean' }, { label: 'no id?' }];
    collections.skus = skus;
    const out = run([orders[0], { _id: 'x' }], [{ $lookup: { from: 'skus', localField: 'items.sku', foreignField: '_id', as: 'products' } }]);
    expect(out[0].products).toEqual([skus[0], skus[1]]);
    expect(out[1].products).toEqual([skus[2]]); // missing local value ≡ null: matches a missing foreignField
    delete collections.skus;
  });

  it('pipeline + let form, with $expr comparing ObjectIds', () => {
    const out = run(customers, [
      {
        $lookup: {
          from: 'orders',
          let: { cid: '$_id' },
          pipeline: [
            { $match: { $expr: { $and: [{ $eq: ['$customerId', '$$cid'] }, { $eq: ['$status', 'paid'] }] } } },
            { $group: { _id: null, spent: { $sum: '$total' } } },
          ],
          as: 'paid',
        },
      },
      { $project: { _id: 0, name: 1, spent: { $ifNull: [{ $first: '$paid.spent' }, 0] } } },
    ]);
    expect(out).toEqual([{ name: 'Ada', spent: 37 }, { name: 'Bob', spent: 0 }, { name: 'Cy', spent: 0 }]);
  });

  it('localField/foreignField combined with a pipeline', () => {
    const out = run([customers[0]], [
      { $lookup: { from: 'orders', localField: '_id', foreignField: 'customerId', pipeline: [{ $match: { total: { $gt: 10 } } }], as: 'big' } },
    ]);
    expect((out[0].big as Doc[]).map((o) => o._id)).toEqual([101]);
  });
});

describe('$graphLookup', () => {
  // A resource topology: a port relies on a router, which relies on a fibre and a power feed.
  const resources: Doc[] = [
    { _id: oid(1), name: 'port-1', kind: 'port', reliesOn: [oid(2)] },
    { _id: oid(2), name: 'router-1', kind: 'router', reliesOn: [oid(3), oid(4)] },
    { _id: oid(3), name: 'fibre-1', kind: 'fibre', reliesOn: [oid(2)] }, // cycle back to the router
    { _id: oid(4), name: 'power-1', kind: 'power' },
    { _id: oid(5), name: 'port-2', kind: 'port', reliesOn: [oid(6)] },
    { _id: oid(6), name: 'router-2', kind: 'router' },
  ];
  const topo = (pipeline: Doc[]) =>
    runPipeline(resources, pipeline, { resolveCollection: (n) => (n === 'resources' ? resources : []) });
  const upstream = (extra: Doc = {}) => [
    { $match: { name: 'port-1' } },
    {
      $graphLookup: {
        from: 'resources',
        startWith: '$reliesOn',
        connectFromField: 'reliesOn',
        connectToField: '_id',
        as: 'upstream',
        depthField: 'depth',
        ...extra,
      },
    },
  ];

  it('finds everything a port relies on, with depths, and terminates on cycles', () => {
    const [port] = topo(upstream());
    const found = (port.upstream as Doc[]).map((r) => [r.name, r.depth]).sort();
    expect(found).toEqual([['fibre-1', 1], ['power-1', 1], ['router-1', 0]]);
  });

  it('honours maxDepth and restrictSearchWithMatch', () => {
    expect((topo(upstream({ maxDepth: 0 }))[0].upstream as Doc[]).map((r) => r.name)).toEqual(['router-1']);
    const restricted = topo(upstream({ restrictSearchWithMatch: { kind: { $ne: 'power' } } }))[0].upstream as Doc[];
    expect(restricted.map((r) => r.name).sort()).toEqual(['fibre-1', 'router-1']);
  });

  it('finds dependants (reverse direction)', () => {
    const out = topo([
      { $match: { name: 'fibre-1' } },
      { $graphLookup: { from: 'resources', startWith: '$_id', connectFromField: '_id', connectToField: 'reliesOn', as: 'impacted' } },
    ]);
    expect((out[0].impacted as Doc[]).map((r) => r.name).sort()).toEqual(['fibre-1', 'port-1', 'router-1']);
  });
});

describe('$facet and $unionWith', () => {
  it('$facet runs sub-pipelines over the same input', () => {
    const [out] = run(orders, [
      {
        $facet: {
          byStatus: [{ $sortByCount: '$status' }],
          top: [{ $sort: { total: -1 } }, { $limit: 1 }, { $project: { _id: 1 } }],
          stats: [{ $group: { _id: null, max: { $max: '$total' } } }],
        },
      },
    ]);
    expect(out.byStatus).toEqual([{ _id: 'paid', count: 2 }, { _id: 'open', count: 2 }]);
    expect(out.top).toEqual([{ _id: 101 }]);
    expect(out.stats).toEqual([{ _id: null, max: 30 }]);
  });

  it('$unionWith appends another collection, optionally through a pipeline', () => {
    const out = run([{ _id: 'x' }], [{ $unionWith: { coll: 'customers', pipeline: [{ $match: { region: 'north' } }, { $project: { name: 1, _id: 0 } }] } }]);
    expect(out).toEqual([{ _id: 'x' }, { name: 'Ada' }, { name: 'Cy' }]);
  });
});

describe('stages kept from mingo', () => {
  it('$setWindowFields, $redact and $bucketAuto work through the same context', () => {
    const docs = [{ _id: 1, g: 'a', v: 3 }, { _id: 2, g: 'a', v: 5 }, { _id: 3, g: 'b', v: 1 }];
    const win = run(docs, [
      { $setWindowFields: { partitionBy: '$g', sortBy: { v: 1 }, output: { running: { $sum: '$v', window: { documents: ['unbounded', 'current'] } } } } },
      { $sort: { _id: 1 } },
    ]);
    expect(win.map((d) => d.running)).toEqual([3, 8, 1]);
    const redacted = run(docs, [{ $redact: { $cond: { if: { $eq: ['$g', 'a'] }, then: '$$KEEP', else: '$$PRUNE' } } }]);
    expect(redacted.map((d) => d._id)).toEqual([1, 2]);
    const buckets = run(docs, [{ $bucketAuto: { groupBy: '$v', buckets: 2 } }]);
    expect(Object.keys(buckets[0])[0]).toBe('_id');
    expect(buckets.reduce((n, b) => n + (b.count as number), 0)).toBe(3);
  });
});

describe('no mutation of inputs', () => {
  it('input and foreign documents are untouched by $unset/$addFields/$unwind/$lookup/$project', () => {
    const input = deepFreeze(structuredClone(orders.map((o) => ({ ...o, total: 1, customerId: (o.customerId as ObjectId).toHexString() }))));
    const foreign = deepFreeze([{ _id: 'f1', ref: '000000000000000000000001', info: { a: 1 } }]);
    const snapshot = JSON.stringify({ input, foreign });
    const out = runPipeline(input, [
      { $addFields: { 'items.flag': 1, extra: { deep: true } } },
      { $set: { 'extra.deeper': 2 } },
      { $unwind: { path: '$items', includeArrayIndex: 'i', preserveNullAndEmptyArrays: true } },
      { $unset: ['items.qty', 'status'] },
      { $lookup: { from: 'f', localField: 'customerId', foreignField: 'ref', as: 'joined' } },
      { $unwind: { path: '$joined', preserveNullAndEmptyArrays: true } },
      { $set: { 'joined.info.b': 2 } },
      { $project: { 'joined.info.a': 0 } },
      { $group: { _id: '$_id', items: { $push: '$items' } } },
    ], { resolveCollection: (n) => (n === 'f' ? foreign : []) });
    expect(out.length).toBe(4);
    expect(JSON.stringify({ input, foreign })).toBe(snapshot);
  });
});

describe('pipeline errors', () => {
  it('unknown stages are 40324, malformed stages 40323', () => {
    const e = errorOf(() => run(orders, [{ $foo: {} }]));
    expect(e.code).toBe(40324);
    expect(e.message).toBe("Unrecognized pipeline stage name: '$foo'");
    expect(errorOf(() => run(orders, [{ $match: {}, $limit: 1 }])).code).toBe(40323);
    expect(errorOf(() => run(orders, [{ $facet: { x: [{ $bar: 1 }] } }])).code).toBe(40324);
  });

  it('write and server stages are NotImplemented and name the stage', () => {
    for (const stage of [{ $out: 'x' }, { $merge: { into: 'x' } }, { $collStats: {} }, { $indexStats: {} }, { $currentOp: {} }, { $search: {} }, { $geoNear: {} }, { $listSessions: {} }, { $changeStream: {} }]) {
      const e = errorOf(() => run(orders, [stage]));
      expect(e.code).toBe(238);
      expect(e.message).toContain(Object.keys(stage)[0]);
    }
  });

  it('stage argument errors use mongod codes', () => {
    expect(errorOf(() => run(orders, [{ $group: { n: { $sum: 1 } } }])).code).toBe(15955);
    expect(errorOf(() => run(orders, [{ $group: { _id: null, n: { $bogus: 1 } } }])).code).toBe(15952);
    expect(errorOf(() => run(orders, [{ $unwind: 'items' }])).code).toBe(28818);
    expect(errorOf(() => run(orders, [{ $limit: 0 }])).code).toBe(15958);
    expect(errorOf(() => run(orders, [{ $project: { a: 1, b: 0 } }])).code).toBe(31254);
    expect(errorOf(() => run(orders, [{ $bucket: { groupBy: '$total', boundaries: [0, 1] } }])).code).toBe(40066);
    expect(errorOf(() => run(orders, [{ $set: { x: { $function: { body: 'return 1', args: [], lang: 'js' } } } }])).code).toBe(238);
  });
});
