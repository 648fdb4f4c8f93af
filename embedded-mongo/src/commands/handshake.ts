import { ObjectId } from 'bson';
import type { Doc } from '../types.js';
import type { CommandHandler, Exec } from './context.js';

export const SERVER_VERSION = '8.0.0';
/**
 * Wire version 25 = MongoDB 8.0; drivers gate features (transactions, change streams) on it.
 * 8.0 because the server answers 8.0's multi-collection `bulkWrite` (see bulk-write.ts).
 */
const MAX_WIRE_VERSION = 25;
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');
export const REPLICA_SET_NAME = 'rs0';

function hostName(exec: Exec): string {
  return `${exec.server.host}:${exec.server.port}`;
}

/**
 * hello / isMaster: a single-node replica set primary. Advertising a replica set is what lets
 * drivers use sessions, transactions and change streams against this server. No
 * `topologyVersion` is sent, so drivers poll instead of using streaming hello.
 */
const hello: CommandHandler = (cmd, exec) => {
  const time = exec.server.engine.oplog.currentTime;
  const now = new Date();
  const reply: Doc = {
    isWritablePrimary: true,
    ismaster: true,
    secondary: false,
    setName: REPLICA_SET_NAME,
    setVersion: 1,
    hosts: [hostName(exec)],
    primary: hostName(exec),
    me: hostName(exec),
    electionId: ELECTION_ID,
    lastWrite: { opTime: { ts: time, t: 1 }, lastWriteDate: now, majorityOpTime: { ts: time, t: 1 }, majorityWriteDate: now },
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: exec.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  };
  if (cmd.helloOk === true) reply.helloOk = true;
  return reply;
};

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded-mongo',
  versionArray: [8, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['embedded'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

const getParameter: CommandHandler = (cmd) => {
  const reply: Doc = { ok: 1 };
  if (cmd.featureCompatibilityVersion !== undefined || cmd.getParameter === '*') {
    reply.featureCompatibilityVersion = { version: '8.0' };
  }
  return reply;
};

/** The part of mongod's `serverStatus().transactions` a client watching contention needs. */
function transactionStatus(exec: Exec) {
  const { totals, active } = exec.server.engine.txns;
  return { currentOpen: active.size, totalStarted: totals.started, totalCommitted: totals.committed, totalAborted: totals.aborted };
}

const serverStatus: CommandHandler = (_cmd, exec) => {
  const mem = process.memoryUsage();
  return {
    host: hostName(exec),
    version: SERVER_VERSION,
    process: 'embedded-mongo',
    pid: process.pid,
    uptime: Math.floor((Date.now() - exec.server.startedAt.getTime()) / 1000),
    localTime: new Date(),
    connections: { current: exec.server.connectionCount(), available: 10_000 },
    mem: { bits: 64, resident: Math.round(mem.rss / 1048576), virtual: Math.round(mem.rss / 1048576) },
    storageEngine: { name: 'embedded', persistent: exec.server.persistent },
    opcounters: { ...exec.server.opcounters },
    transactions: transactionStatus(exec),
    ok: 1,
  };
};

const replSetGetStatus: CommandHandler = (_cmd, exec) => ({
  set: REPLICA_SET_NAME,
  date: new Date(),
  myState: 1,
  members: [{ _id: 0, name: hostName(exec), health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
  ok: 1,
});

export const HANDSHAKE_COMMANDS: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  getParameter,
  serverStatus,
  replSetGetStatus,
  hostInfo: () => ({ system: { hostname: 'embedded-mongo', currentTime: new Date() }, os: { type: process.platform }, ok: 1 }),
  whatsmyuri: (_c, exec) => ({ you: `client:${exec.connectionId}`, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  logout: () => ({ ok: 1 }),
};
