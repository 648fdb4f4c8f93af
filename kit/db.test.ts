import { describe, expect, it } from 'vitest';
import { assertServerSupported, connectDatabase } from './db.js';
import { startTestMongo } from './testing.js';

describe('the database a subgraph connects to', () => {
  it('should be MongoDB 8.0 or later: an older server is refused at start, naming its version', () => {
    expect(() => assertServerSupported(21)).toThrow('the server speaks wire version 21; MongoDB 8.0 (wire version 25) or later is needed');
    expect(() => assertServerSupported(undefined)).toThrow('wire version undefined');
    expect(() => assertServerSupported(25)).not.toThrow();
    expect(() => assertServerSupported(26)).not.toThrow();
  });

  it('should accept the embedded server (or MONGODB_URI under test)', async () => {
    const mongo = await startTestMongo();
    try {
      const conn = await connectDatabase(mongo.uri, 'customer');
      expect(conn.readyState).toBe(1);
      await conn.close();
    } finally {
      await mongo.stop();
    }
  });
});
