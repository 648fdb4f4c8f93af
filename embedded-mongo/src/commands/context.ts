import type { Engine } from '../engine/engine.js';
import type { ReadView } from '../storage/read-view.js';
import type { WriteContext } from '../storage/writes.js';
import type { Transaction } from '../txn/transaction.js';
import type { Doc, Logger } from '../types.js';
import type { CursorStore } from './cursors.js';
import type { SessionStore } from './sessions.js';

/** mongod's operation counters: inserted documents, update and delete statements, finds, getMores, other commands. */
export interface Opcounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

/** Process-wide state every command may use. */
export interface ServerState {
  engine: Engine;
  cursors: CursorStore;
  sessions: SessionStore;
  log: Logger;
  host: string;
  port: number;
  startedAt: Date;
  /** Operations received since start, as mongod's `serverStatus().opcounters` counts them. */
  opcounters: Opcounters;
  persistent: boolean;
  connectionCount(): number;
}

/** One command's execution: its database, what it reads, and where its writes go. */
export interface Exec {
  server: ServerState;
  db: string;
  connectionId: number;
  view: ReadView;
  txn?: Transaction;
  sessionKey?: string;
  newWriteContext(): WriteContext;
}

export type CommandHandler = (cmd: Doc, exec: Exec) => Promise<Doc> | Doc;
