import { calculateObjectSize, deserialize, serialize, setInternalBufferSize, type DeserializeOptions } from 'bson';
import type { Doc } from '../types.js';

/** Wire protocol opcodes this server recognises (others close the connection). */
export const OpCode = {
  REPLY: 1,
  QUERY: 2004,
  COMPRESSED: 2012,
  MSG: 2013,
} as const;

/** Size of the standard message header: messageLength, requestID, responseTo, opCode. */
export const HEADER_BYTES = 16;

/** Smallest possible BSON document: int32 length + terminating 0x00. */
const MIN_BSON_BYTES = 5;

/** Parsed standard message header. */
export interface MessageHeader {
  messageLength: number;
  requestID: number;
  responseTo: number;
  opCode: number;
}

/**
 * A malformed or unsupported message. The connection that sent it is closed: after a framing or
 * parse error we can no longer trust where the next message starts, so answering is unsafe.
 */
export class ProtocolError extends Error {}

/**
 * The engine depends on these exact options: int64 values arrive as JS numbers, binary stays a
 * `Binary`, regexes become native `RegExp`, and invalid UTF-8 is tolerated like mongod does.
 */
const DESERIALIZE_OPTIONS: DeserializeOptions = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
  validation: { utf8: false },
};

/** Reads the 16-byte header; the caller guarantees `frame.length >= HEADER_BYTES`. */
export function readHeader(frame: Buffer): MessageHeader {
  return {
    messageLength: frame.readInt32LE(0),
    requestID: frame.readInt32LE(4),
    responseTo: frame.readInt32LE(8),
    opCode: frame.readInt32LE(12),
  };
}

/** Writes a 16-byte header into the start of `target`. */
export function writeHeader(target: Buffer, h: MessageHeader): void {
  target.writeInt32LE(h.messageLength, 0);
  target.writeInt32LE(h.requestID, 4);
  target.writeInt32LE(h.responseTo, 8);
  target.writeInt32LE(h.opCode, 12);
}

/** Reads a NUL-terminated string that must end before `end`; returns it and the offset after the NUL. */
export function readCString(buf: Buffer, offset: number, end: number, what: string): [string, number] {
  const rel = buf.subarray(offset, end).indexOf(0);
  if (rel < 0) throw new ProtocolError(`unterminated ${what}`);
  return [buf.toString('utf8', offset, offset + rel), offset + rel + 1];
}

/**
 * Deserializes one BSON document starting at `offset` that must lie entirely before `end`.
 * Returns the document and the offset just after it. Any BSON-level failure (including the
 * RangeError from absurdly deep nesting) is reported as a ProtocolError.
 */
export function readDocument(buf: Buffer, offset: number, end: number, what: string): [Doc, number] {
  if (end - offset < MIN_BSON_BYTES) throw new ProtocolError(`truncated ${what}`);
  const size = buf.readInt32LE(offset);
  if (size < MIN_BSON_BYTES || size > end - offset) {
    throw new ProtocolError(`${what} length ${size} inconsistent with message length`);
  }
  try {
    return [deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS) as Doc, offset + size];
  } catch (err) {
    throw new ProtocolError(`invalid BSON in ${what}: ${(err as Error).message}`);
  }
}

/** Documents smaller than this certainly fit bson's 17 MiB internal scratch buffer. */
const SCRATCH_SAFE_BYTES = 16 * 1024 * 1024;

/**
 * Serializes a reply with `ignoreUndefined`. bson serializes into a fixed 17 MiB scratch buffer
 * and, past that, either throws or silently truncates, so large replies are re-serialized after
 * growing the scratch buffer to `calculateObjectSize` (the common small reply stays one pass).
 */
export function serializeDoc(doc: Doc): Buffer {
  let out: Uint8Array | undefined;
  try {
    out = serialize(doc, { ignoreUndefined: true });
    if (out.length < SCRATCH_SAFE_BYTES) return asBuffer(out);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  const size = calculateObjectSize(doc, { ignoreUndefined: true });
  if (out && out.length === size) return asBuffer(out);
  // Grows bson's shared scratch buffer for good; it is process-wide and only ever grows.
  setInternalBufferSize(size + 1);
  return asBuffer(serialize(doc, { ignoreUndefined: true }));
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
