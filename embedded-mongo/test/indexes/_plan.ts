import { CollectionIndexes } from '../../src/storage/indexes/collection-indexes.js';
import { compileFilter } from './helpers.js';
import { ObjectId } from 'bson';
import { valueKey } from '../../src/bson/value-key.js';
const deps = { compileFilter, indexValues: (d: any, p: string) => (p in d ? { values: Array.isArray(d[p]) ? d[p] : [d[p]], missing: false } : { values: [null], missing: true }) };
const ix = new CollectionIndexes('t.c', deps);
ix.create({ key: { email: 1 }, name: 'email_1', unique: true }, []);
ix.create({ key: { age: 1, city: 1 }, name: 'age_city' }, []);
for (let i = 0; i < 100000; i++) { const d = { _id: new ObjectId(), email: `user${i}@example.com`, age: i % 90, city: `c${i % 1000}` }; ix.add(valueKey(d._id), d); }
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  for (let i = 0; i < 100000; i++) ix.plan({ email: `user${i}@example.com` });
  console.log('100k eq plans ms', (performance.now() - t) | 0);
}
