import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose from 'mongoose';

/** Per-request diagnostics; the HTTP layer opens one scope per request. */
export interface RequestScope {
  dbCommands: number;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** Each subgraph owns one database; no other subgraph ever opens it. */
export const databaseName = (subgraph: string) => `telco_${subgraph}`;

/**
 * MongoDB 8.0's wire version. The order subgraph writes a transaction's changes in one
 * multi-collection `bulkWrite`, which older servers do not have: better to refuse at start than to
 * fail on the first order.
 */
export const MIN_WIRE_VERSION = 25;

/** Throws, naming the server's version, unless it is MongoDB 8.0 or later. */
export function assertServerSupported(maxWireVersion: unknown): void {
  if (typeof maxWireVersion === 'number' && maxWireVersion >= MIN_WIRE_VERSION) return;
  throw new Error(`MONGODB_URI: the server speaks wire version ${String(maxWireVersion)}; MongoDB 8.0 (wire version ${MIN_WIRE_VERSION}) or later is needed`);
}

/**
 * Opens the subgraph's own database. With `countCommands` (development, tests), driver command
 * monitoring counts the commands each request issues, so N+1 query patterns are visible in
 * responses. Off in production: the driver then builds an event per command and decodes every
 * reply in full for it, even the cursor batches it otherwise decodes lazily — in an alarm storm
 * that doubled the decoding of every change-stream batch.
 */
export async function connectDatabase(uri: string, subgraph: string, { countCommands = true }: { countCommands?: boolean } = {}): Promise<mongoose.Connection> {
  // A pool well above the driver's 100: a write queued behind another transaction's document
  // lock holds its connection while it waits, and with a few hundred orders in flight the default
  // pool filled up with such waiters — leaving the lock holder no connection to commit with.
  const conn = mongoose.createConnection(uri, { dbName: databaseName(subgraph), monitorCommands: countCommands, autoIndex: true, maxPoolSize: 500 });
  await conn.asPromise();
  try {
    assertServerSupported((await conn.db!.admin().command({ hello: 1 })).maxWireVersion);
  } catch (err) {
    await conn.close();
    throw err;
  }
  if (countCommands) conn.getClient().on('commandStarted', () => {
    const scope = requestScope.getStore();
    if (scope) scope.dbCommands += 1;
  });
  return conn;
}
