import type { Doc } from '../types.js';
import type { CommandHandler, ServerState } from './context.js';
import { sessionKeyOf } from './sessions.js';

/** Ends sessions: their open transaction is aborted and their cursors are killed. */
export function endSession(server: ServerState, key: string): void {
  const session = server.sessions.end(key);
  if (session?.txn?.state === 'active') server.engine.txns.end(session.txn, 'aborted', 'session ended');
  server.cursors.killSession(key);
}

const endSessions: CommandHandler = (cmd, exec) => {
  const lsids = (cmd[Object.keys(cmd)[0]] as Doc[]) ?? [];
  for (const lsid of lsids) endSession(exec.server, sessionKeyOf(lsid));
  return { ok: 1 };
};

export const SESSION_COMMANDS: Record<string, CommandHandler> = {
  endSessions,
  killSessions: endSessions,
  refreshSessions: () => ({ ok: 1 }),
  startSession: (_cmd, exec) => ({ id: { id: crypto.randomUUID() }, timeoutMinutes: 30, ok: 1, connectionId: exec.connectionId }),
  // Reached only without lsid/txnNumber; with them the dispatcher answers.
  commitTransaction: () => ({ ok: 0, code: 251, codeName: 'NoSuchTransaction', errmsg: 'commitTransaction requires lsid and txnNumber' }),
  abortTransaction: () => ({ ok: 0, code: 251, codeName: 'NoSuchTransaction', errmsg: 'abortTransaction requires lsid and txnNumber' }),
};
