import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../index.js';
import { silentLogger } from '../../src/types.js';

/**
 * The database under test: a real `mongod` when MONGODB_URI is set (fidelity check), otherwise
 * a fresh embedded server on a free port. Each test file gets its own database name.
 */
export interface TestDatabase {
  uri: string;
  client: MongoClient;
  embedded?: EmbeddedMongo;
  stop(): Promise<void>;
}

export const usingRealMongo = !!process.env.MONGODB_URI;

export async function startTestDatabase(options: EmbeddedMongoOptions = {}): Promise<TestDatabase> {
  const embedded = usingRealMongo ? undefined : await startEmbeddedMongo({ log: silentLogger, ...options });
  const uri = process.env.MONGODB_URI ?? embedded!.uri;
  const client = await new MongoClient(uri).connect();
  return {
    uri,
    client,
    embedded,
    async stop() {
      await client.close();
      await embedded?.stop();
    },
  };
}

/** A unique database name per test so suites can share one server (and one real mongod). */
export const uniqueDbName = (prefix: string) => `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix = 'embedded-mongo-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
