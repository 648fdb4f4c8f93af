import { CollectionIndexes } from '../../src/storage/indexes/collection-indexes.js';
import { compileFilter } from './helpers.js';
import { ObjectId, serialize, deserialize } from 'bson';
import { valueKey } from '../../src/bson/value-key.js';
const deps = { compileFilter, indexValues: (d: any, p: string) => (p in d ? { values: Array.isArray(d[p]) ? d[p] : [d[p]], missing: false } : { values: [null], missing: true }) };
const N = 1_000_000;
const docs = new Map<string, any>();
for (let i = 0; i < N; i++) { const d = deserialize(serialize({ _id: new ObjectId(), email: `user${i}@example.com`, age: i % 90, city: `c${i % 1000}` })); docs.set(JSON.parse(JSON.stringify(valueKey(d._id))), d); }
const heap = () => { global.gc!(); global.gc!(); return process.memoryUsage().heapUsed; };
const base = heap(); console.log('heap with docs MB', (base/1e6)|0);
const ix = new CollectionIndexes('t.c', deps);
let t = performance.now();
for (const [k, d] of docs) ix.add(k, d);
console.log('add 1e6 to _id index ms', (performance.now() - t) | 0);
const idOnly = heap();
t = performance.now();
ix.create({ key: { email: 1 }, name: 'email_1', unique: true }, docs.entries());
console.log('build unique email ms', (performance.now() - t) | 0);
const one = heap();
t = performance.now();
ix.create({ key: { age: 1, city: 1 }, name: 'age_city' }, docs.entries());
console.log('build age_city ms', (performance.now() - t) | 0);
const all = heap();
console.log('MB: _id', ((idOnly - base) / 1e6).toFixed(0), 'email', ((one - idOnly) / 1e6).toFixed(0), 'age_city', ((all - one) / 1e6).toFixed(0));
t = performance.now();
let n = 0; for (let i = 0; i < 10000; i++) { const p = ix.plan({ email: `user${i * 7}@example.com` }); n += p!.keysExamined; }
console.log('10k eq plans ms', (performance.now() - t) | 0, n);
t = performance.now();
const p = ix.plan({ age: 42, city: { $in: ['c42', 'c132'] } }); console.log('compound plan', p?.indexName, p?.keysExamined, (performance.now() - t).toFixed(1));
t = performance.now();
let i = 0; for (const [k, d] of docs) { if (i++ >= 100000) break; const nd = { ...d, age: d.age + 1 }; ix.assertUnique(nd, k); ix.replace(k, d, nd); }
console.log('100k assertUnique+replace(age) ms', (performance.now() - t) | 0);
t = performance.now();
i = 0; for (const [k, d] of docs) { if (i++ >= 100000) break; const nd = { ...d, other: 1 }; ix.assertUnique(nd, k); ix.replace(k, d, nd); }
console.log('100k assertUnique+replace(unindexed) ms', (performance.now() - t) | 0);
