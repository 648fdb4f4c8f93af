import mongoose, { Schema } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, uniqueDbName, type TestDatabase } from '../helpers/server.js';

let server: TestDatabase;
let conn: mongoose.Connection;

const userSchema = new Schema({
  email: { type: String, required: true, unique: true },
  tenant: String,
  handle: String,
  score: Number,
  createdAt: { type: Date, default: () => new Date() },
});
userSchema.index({ tenant: 1, handle: 1 }, { unique: true, partialFilterExpression: { handle: { $exists: true } } });

beforeAll(async () => {
  server = await startTestDatabase();
  conn = await mongoose.createConnection(server.uri, { dbName: uniqueDbName('mongoose') }).asPromise();
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
  await server.stop();
});

describe('mongoose on the embedded server', () => {
  it('should build the schema indexes and report duplicates as mongoose does', async () => {
    const User = conn.model('User', userSchema);
    await User.init();
    const names = (await User.listIndexes()).map((i) => i.name).sort();
    expect(names).toEqual(['_id_', 'email_1', 'tenant_1_handle_1']);
    await User.create({ email: 'a@x.io', tenant: 't1' });
    const err = await User.create({ email: 'a@x.io', tenant: 't2' }).catch((e) => e);
    expect(err.code).toBe(11000);
    expect(err.keyPattern).toEqual({ email: 1 });
    expect(err.keyValue).toEqual({ email: 'a@x.io' });
    expect(err.message).toMatch(/E11000 duplicate key error collection: .*\.users index: email_1 dup key: \{ email: "a@x\.io" \}/);
  });

  it('should enforce a partial compound unique index only where the filter matches', async () => {
    const User = conn.model('User');
    await User.create({ email: 'b@x.io', tenant: 't1' }); // no handle: outside the partial index
    await User.create({ email: 'c@x.io', tenant: 't1', handle: 'h' });
    await expect(User.create({ email: 'd@x.io', tenant: 't1', handle: 'h' })).rejects.toMatchObject({ code: 11000, keyValue: { tenant: 't1', handle: 'h' } });
  });

  it('should run queries, updates, lean reads and aggregations through models', async () => {
    const User = conn.model('User');
    await User.updateMany({ tenant: 't1' }, { $set: { score: 5 } });
    const lean = await User.find({ tenant: 't1' }).sort({ email: 1 }).select('email score -_id').lean();
    expect(lean).toEqual([
      { email: 'a@x.io', score: 5 },
      { email: 'b@x.io', score: 5 },
      { email: 'c@x.io', score: 5 },
    ]);
    const [agg] = await User.aggregate([{ $group: { _id: null, total: { $sum: '$score' } } }]);
    expect(agg.total).toBe(15);
    const doc = await User.findOneAndUpdate({ email: 'a@x.io' }, { $inc: { score: 1 } }, { new: true });
    expect(doc!.score).toBe(6);
  });

  it('should commit a mongoose transaction with connection.transaction', async () => {
    const User = conn.model('User');
    await conn.transaction(async (session) => {
      await User.create([{ email: 't1@x.io' }], { session });
      await User.updateOne({ email: 'a@x.io' }, { $set: { score: 100 } }, { session });
    });
    expect(await User.countDocuments({ email: 't1@x.io' })).toBe(1);
    expect((await User.findOne({ email: 'a@x.io' }).lean<{ score: number }>())!.score).toBe(100);
  });
});
