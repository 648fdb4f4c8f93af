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

/** OP_MSG flag bits (https://github.com/mongodb/specifications, OP_MSG spec). */
export const MsgFlag = {
  checksumPresent: 1 << 0,
  moreToCome: 1 << 1,
  exhaustAllowed: 1 << 16,
} as const;

/**
 * Bits 0-15 are "required": a receiver must reject a message carrying one it does not know,
 * because ignoring it could change the message's meaning.
 */
const REQUIRED_BITS_MASK = 0xffff;
const KNOWN_REQUIRED_BITS = MsgFlag.checksumPresent | MsgFlag.moreToCome;

/** A parsed OP_MSG request. */
export interface OpMsgRequest {
  header: MessageHeader;
  flagBits: number;
  /** True when the client set moreToCome and therefore expects no reply. */
  moreToCome: boolean;
  /** The kind-0 body with every kind-1 sequence merged in as an array under its identifier. */
  body: Doc;
}

/**
 * Parses an OP_MSG frame (header included).
 * @throws ProtocolError on any structural problem.
 */
export function parseOpMsg(frame: Buffer, header: MessageHeader): OpMsgRequest {
  if (frame.length < HEADER_BYTES + 5) throw new ProtocolError('OP_MSG too short');
  const flagBits = frame.readUInt32LE(HEADER_BYTES);
  const unknownRequired = flagBits & REQUIRED_BITS_MASK & ~KNOWN_REQUIRED_BITS;
  if (unknownRequired) throw new ProtocolError(`OP_MSG has unknown required flag bits 0x${unknownRequired.toString(16)}`);

  // The CRC-32C is not verified: TCP already checksums, and mongod also skips it on non-TLS links.
  const end = flagBits & MsgFlag.checksumPresent ? frame.length - 4 : frame.length;
  let offset = HEADER_BYTES + 4;
  if (end <= offset) throw new ProtocolError('OP_MSG has no sections');

  let body: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = frame[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one body section');
      [body, offset] = readDocument(frame, offset, end, 'OP_MSG body');
    } else if (kind === 1) {
      let seq: [string, Doc[]];
      [seq, offset] = readSequence(frame, offset, end);
      sequences.push(seq);
    } else {
      throw new ProtocolError(`OP_MSG has unknown section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG has no body section');

  for (const [identifier, docs] of sequences) {
    if (Object.prototype.hasOwnProperty.call(body, identifier)) {
      throw new ProtocolError(`OP_MSG document sequence '${identifier}' duplicates a body field`);
    }
    body[identifier] = docs;
  }
  return { header, flagBits, moreToCome: (flagBits & MsgFlag.moreToCome) !== 0, body };
}

function readSequence(frame: Buffer, offset: number, end: number): [[string, Doc[]], number] {
  if (end - offset < 4) throw new ProtocolError('truncated OP_MSG document sequence');
  const size = frame.readInt32LE(offset);
  // The size covers itself, the identifier and the documents, but not the kind byte.
  if (size < 4 + 1 || size > end - offset) {
    throw new ProtocolError(`OP_MSG document sequence length ${size} inconsistent with message length`);
  }
  const seqEnd = offset + size;
  const [identifier, docsStart] = readCString(frame, offset + 4, seqEnd, 'document sequence identifier');
  if (!identifier) throw new ProtocolError('OP_MSG document sequence has an empty identifier');
  const docs: Doc[] = [];
  let pos = docsStart;
  while (pos < seqEnd) {
    let doc: Doc;
    [doc, pos] = readDocument(frame, pos, seqEnd, `document sequence '${identifier}'`);
    docs.push(doc);
  }
  return [[identifier, docs], seqEnd];
}

/**
 * Encodes a reply as OP_MSG with flagBits 0 and a single kind-0 section. Returned as
 * [prefix, body] so a multi-megabyte body is written to the socket without another copy.
 */
export function encodeOpMsgReply(requestID: number, responseTo: number, reply: Doc): [Buffer, Buffer] {
  const body = serializeDoc(reply);
  const prefix = Buffer.allocUnsafe(HEADER_BYTES + 5);
  writeHeader(prefix, { messageLength: prefix.length + body.length, requestID, responseTo, opCode: OpCode.MSG });
  prefix.writeUInt32LE(0, HEADER_BYTES);
  prefix[HEADER_BYTES + 4] = 0;
  return [prefix, body];
}
