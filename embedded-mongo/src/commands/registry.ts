import type { CommandHandler } from './context.js';
import { AGGREGATE_COMMANDS } from './aggregate.js';
import { BULK_WRITE_COMMANDS } from './bulk-write.js';
import { DDL_COMMANDS } from './ddl.js';
import { FIND_AND_MODIFY_COMMANDS } from './find-and-modify.js';
import { FIND_COMMANDS } from './find.js';
import { HANDSHAKE_COMMANDS } from './handshake.js';
import { SESSION_COMMANDS } from './session-commands.js';
import { WRITE_COMMANDS } from './write.js';

/** Every command the server answers; anything else gets CommandNotFound (59) like mongod. */
export const COMMANDS: Record<string, CommandHandler> = {
  ...HANDSHAKE_COMMANDS,
  ...FIND_COMMANDS,
  ...AGGREGATE_COMMANDS,
  ...WRITE_COMMANDS,
  ...BULK_WRITE_COMMANDS,
  ...FIND_AND_MODIFY_COMMANDS,
  ...DDL_COMMANDS,
  ...SESSION_COMMANDS,
};
