import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { calculateObjectSize, deserialize, serialize, setInternalBufferSize } from 'bson';
import type { Doc } from '../types.js';

/**
 * Record framing shared by journal and snapshot files:
 *
 *   [uint32 LE payload length][uint32 LE crc32(payload)][BSON payload]
 *
 * The CRC covers only the payload; a torn or garbled length field is caught because the
 * payload it points at then fails the CRC (or runs past the end of the file).
 */
export const HEADER_BYTES = 8;

/** The engine relies on exactly these options: numbers as JS numbers, Binary kept as Binary. */
export const DESERIALIZE_OPTIONS = {
  promoteLongs: true,
  promoteValues: true,
  promoteBuffers: false,
  bsonRegExp: false,
} as const;

/**
 * bson's serialize() writes into a shared 17 MiB buffer and, for a long string crossing its end,
 * silently TRUNCATES instead of throwing. Any output this large is therefore re-checked against
 * calculateObjectSize() and, if needed, redone with a buffer big enough (which grows bson's
 * module-wide buffer for the rest of the process).
 */
const SUSPICIOUS_SIZE = 16 * 1024 * 1024;
const SMALLEST_BSON_DOC = 5;

/** Serializes a document to BSON, safely for documents above bson's internal buffer size. */
export function serializeDoc(doc: Doc): Uint8Array {
  let payload: Uint8Array;
  try {
    payload = serialize(doc);
  } catch (err) {
    const size = calculateObjectSize(doc);
    if (size < SUSPICIOUS_SIZE) throw err;
    return serializeLarge(doc, size);
  }
  if (payload.length >= SUSPICIOUS_SIZE) {
    const size = calculateObjectSize(doc);
    if (size !== payload.length) return serializeLarge(doc, size);
  }
  return payload;
}

function serializeLarge(doc: Doc, size: number): Uint8Array {
  setInternalBufferSize(size + 1024);
  const payload = serialize(doc);
  if (payload.length !== size) throw new Error(`BSON serialization produced ${payload.length} bytes, expected ${size}`);
  return payload;
}

/** Serializes `doc` and frames it; the result is ready to be appended to a file. */
export function encodeRecord(doc: Doc): Buffer {
  const payload = serializeDoc(doc);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  frame.set(payload, HEADER_BYTES);
  return frame;
}

/** How a scan ended: `bad` is set when a record at `validEnd` could not be trusted. */
export interface ScanResult {
  /** Offset just past the last good record: where the file should be truncated if `bad`. */
  validEnd: number;
  fileSize: number;
  bad?: string;
}

const READ_CHUNK = 4 * 1024 * 1024;

/**
 * Streams the framed records of a file, calling `onDoc` for each good one in order. Stops at the
 * first record that is incomplete or fails its CRC/BSON checks: nothing after a bad record can be
 * trusted, since record boundaries are only known by walking the length fields.
 */
export async function scanRecords(path: string, onDoc: (doc: Doc, offset: number) => void): Promise<ScanResult> {
  const fh = await open(path, 'r');
  try {
    const fileSize = (await fh.stat()).size;
    let buf = Buffer.alloc(0); // unconsumed bytes, starting at file offset `offset`
    let offset = 0;
    const fill = async (needed: number): Promise<void> => {
      while (buf.length < needed) {
        const want = Math.min(Math.max(needed - buf.length, READ_CHUNK), fileSize - offset - buf.length);
        if (want <= 0) return;
        const chunk = Buffer.allocUnsafe(want);
        const { bytesRead } = await fh.read(chunk, 0, want, offset + buf.length);
        if (bytesRead === 0) return;
        buf = buf.length === 0 ? chunk.subarray(0, bytesRead) : Buffer.concat([buf, chunk.subarray(0, bytesRead)]);
      }
    };
    while (offset < fileSize) {
      if (buf.length < HEADER_BYTES) await fill(HEADER_BYTES);
      if (buf.length < HEADER_BYTES) return { validEnd: offset, fileSize, bad: 'truncated record header' };
      const length = buf.readUInt32LE(0);
      if (length < SMALLEST_BSON_DOC) return { validEnd: offset, fileSize, bad: `invalid record length ${length}` };
      const total = HEADER_BYTES + length;
      if (offset + total > fileSize) {
        return { validEnd: offset, fileSize, bad: `record of ${length} bytes runs past end of file (torn write)` };
      }
      if (buf.length < total) await fill(total);
      // Own copy of the payload: deserialized Binary values keep a view on it, and must not pin
      // the whole read chunk in memory.
      const payload = Buffer.from(buf.subarray(HEADER_BYTES, total));
      const doc = decodePayload(payload, buf.readUInt32LE(4));
      if (typeof doc === 'string') return { validEnd: offset, fileSize, bad: doc };
      onDoc(doc, offset);
      buf = buf.subarray(total);
      offset += total;
    }
    return { validEnd: offset, fileSize };
  } finally {
    await fh.close();
  }
}

/** Returns the document, or a string saying why the payload is not trustworthy. */
function decodePayload(payload: Buffer, expectedCrc: number): Doc | string {
  if (crc32(payload) !== expectedCrc) return 'checksum mismatch';
  if (payload.readInt32LE(0) !== payload.length) return 'BSON length does not match record length';
  try {
    return deserialize(payload, DESERIALIZE_OPTIONS) as Doc;
  } catch (err) {
    return `undecodable BSON (${(err as Error).message})`;
  }
}
