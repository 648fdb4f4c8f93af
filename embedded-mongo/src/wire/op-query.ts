import type { Doc } from '../types.js';
import {
  HEADER_BYTES,
  OpCode,
  ProtocolError,
  readCString,
  readDocument,
  serializeDoc,
  writeHeader,
  type MessageHeader,
} from './protocol.js';

/** mongod's code for OP_QUERY used for anything but a `$cmd` command. */
export const UNSUPPORTED_OP_QUERY_COMMAND = 352;

/** OP_REPLY responseFlags bit telling the client the query failed (reply doc carries `$err`). */
export const QUERY_FAILURE_FLAG = 2;

/** A parsed legacy OP_QUERY request. */
export interface OpQueryRequest {
  header: MessageHeader;
  flags: number;
  fullCollectionName: string;
  numberToSkip: number;
  numberToReturn: number;
  query: Doc;
  returnFieldsSelector?: Doc;
  /** Set when the namespace is `<db>.$cmd`: the command unwrapped from `$query`, with `$db`. */
  command?: Doc;
}

/**
 * Parses an OP_QUERY frame (header included).
 * @throws ProtocolError on any structural problem.
 */
export function parseOpQuery(frame: Buffer, header: MessageHeader): OpQueryRequest {
  const end = frame.length;
  if (end < HEADER_BYTES + 4) throw new ProtocolError('OP_QUERY too short');
  const flags = frame.readInt32LE(HEADER_BYTES);
  const [fullCollectionName, afterName] = readCString(frame, HEADER_BYTES + 4, end, 'OP_QUERY fullCollectionName');
  if (end - afterName < 8) throw new ProtocolError('truncated OP_QUERY');
  const numberToSkip = frame.readInt32LE(afterName);
  const numberToReturn = frame.readInt32LE(afterName + 4);
  const [query, afterQuery] = readDocument(frame, afterName + 8, end, 'OP_QUERY query');
  let returnFieldsSelector: Doc | undefined;
  let offset = afterQuery;
  if (offset < end) [returnFieldsSelector, offset] = readDocument(frame, offset, end, 'OP_QUERY returnFieldsSelector');
  if (offset !== end) throw new ProtocolError('OP_QUERY has trailing bytes');

  const req: OpQueryRequest = { header, flags, fullCollectionName, numberToSkip, numberToReturn, query, returnFieldsSelector };
  const dot = fullCollectionName.indexOf('.');
  if (dot > 0 && fullCollectionName.slice(dot + 1) === '$cmd') {
    req.command = toCommand(query, fullCollectionName.slice(0, dot));
  }
  return req;
}

/**
 * Legacy clients may wrap the command as `{ $query: cmd, $readPreference: ... }`. The command
 * name must stay the first key, so `$db` (and a carried-over `$readPreference`) go last.
 */
function toCommand(query: Doc, db: string): Doc {
  const wrapped = query.$query;
  const isWrapped = wrapped !== null && typeof wrapped === 'object' && !Array.isArray(wrapped);
  const command: Doc = isWrapped ? { ...(wrapped as Doc) } : { ...query };
  if (isWrapped && query.$readPreference !== undefined && command.$readPreference === undefined) {
    command.$readPreference = query.$readPreference;
  }
  command.$db = db;
  return command;
}

/** The error document answered to an OP_QUERY on a non-`$cmd` namespace. */
export function unsupportedOpQueryReply(req: OpQueryRequest): Doc {
  const errmsg = `Unsupported OP_QUERY command on namespace ${req.fullCollectionName}. The client driver may require an upgrade.`;
  return { $err: errmsg, errmsg, code: UNSUPPORTED_OP_QUERY_COMMAND, codeName: 'UnsupportedOpQueryCommand', ok: 0 };
}

/**
 * Encodes an OP_REPLY carrying one document, returned as [prefix, body] to avoid copying a
 * large body. cursorID and startingFrom are always 0: commands never return legacy cursors.
 */
export function encodeOpReply(requestID: number, responseTo: number, reply: Doc, responseFlags = 0): [Buffer, Buffer] {
  const body = serializeDoc(reply);
  const prefix = Buffer.allocUnsafe(HEADER_BYTES + 20);
  writeHeader(prefix, { messageLength: prefix.length + body.length, requestID, responseTo, opCode: OpCode.REPLY });
  prefix.writeInt32LE(responseFlags, HEADER_BYTES);
  prefix.writeBigInt64LE(0n, HEADER_BYTES + 4);
  prefix.writeInt32LE(0, HEADER_BYTES + 12);
  prefix.writeInt32LE(1, HEADER_BYTES + 16);
  return [prefix, body];
}
