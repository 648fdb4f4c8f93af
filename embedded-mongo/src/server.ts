import { dispatch } from './commands/dispatch.js';
import type { ServerState } from './commands/context.js';
import { CursorStore } from './commands/cursors.js';
import { SessionStore } from './commands/sessions.js';
import { Engine } from './engine/engine.js';
import { startMaintenance } from './maintenance.js';
import type { Logger } from './types.js';
import { startWireServer } from './wire/server.js';

export interface EmbeddedMongoOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the server has no authentication, so it is not exposed by default. */
  host?: string;
  /** Directory for the journal and snapshots; omitted = in memory only. */
  dbPath?: string;
  log?: Logger;
  /** TTL monitor period (mongod: 60 s). */
  ttlMonitorIntervalMs?: number;
  /**
   * Transactions older than this are aborted (mongod's transactionLifetimeLimitSeconds, 60 s):
   * what frees the documents a crashed client's open transaction still holds.
   */
  transactionLifetimeMs?: number;
  /** Journal size that triggers a snapshot. */
  compactAfterBytes?: number;
  oplogCapacity?: number;
}

export interface EmbeddedMongo {
  /** A connection string for the driver, mongoose, mongosh or Compass. */
  uri: string;
  port: number;
  host: string;
  /** Closes client connections, snapshots the data (with a dbPath) and releases the directory. */
  stop(): Promise<void>;
}

const consoleLogger: Logger = { info: (m) => console.log(m), warn: (m) => console.warn(m) };

/** Starts the embedded MongoDB-compatible server. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const log = options.log ?? consoleLogger;
  const host = options.host ?? '127.0.0.1';
  const engine = await Engine.open({ dbPath: options.dbPath, log, compactAfterBytes: options.compactAfterBytes, oplogCapacity: options.oplogCapacity });
  const state: ServerState = {
    engine,
    cursors: new CursorStore(),
    sessions: new SessionStore(),
    log,
    host,
    port: 0,
    startedAt: new Date(),
    opcounters: { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 },
    persistent: !!options.dbPath,
    connectionCount: () => wire.connectionCount(),
  };
  const wire = await startWireServer({ host, port: options.port ?? 0, log, handler: (req) => dispatch(state, req.body, req.connectionId) });
  state.port = wire.port;
  const stopMaintenance = startMaintenance(state, options.ttlMonitorIntervalMs ?? 60_000, options.transactionLifetimeMs);
  let stopped: Promise<void> | undefined;
  const stop = async () => {
    stopMaintenance();
    await wire.close();
    state.cursors.closeAll();
    await engine.checkpoint();
    await engine.close();
  };
  const uriHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    uri: `mongodb://${uriHost}:${wire.port}/?directConnection=true`,
    port: wire.port,
    host,
    stop: () => (stopped ??= stop()),
  };
}
