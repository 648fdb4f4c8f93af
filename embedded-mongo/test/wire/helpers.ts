import { connect, type Socket } from 'node:net';
import { deserialize, serialize } from 'bson';
import { ErrorCode, MongoCommandError } from '../../src/errors.js';
import type { Doc, Logger } from '../../src/types.js';
import { startWireServer, type CommandRequest, type WireServer } from '../../src/wire/server.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

/** Logger that records warnings so tests can assert on them. */
export function captureLogger(): Logger & { warns: string[]; infos: string[] } {
  const warns: string[] = [];
  const infos: string[] = [];
  return { warns, infos, warn: (m) => warns.push(m), info: (m) => infos.push(m) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every command body the tiny handler has seen, in arrival order. */
export type Seen = CommandRequest[];

/** A minimal command handler standing in for the real command layer. */
export function tinyHandler(seen: Seen = []) {
  return async (req: CommandRequest): Promise<Doc> => {
    seen.push(req);
    const { body, connectionId } = req;
    const name = Object.keys(body)[0];
    switch (name) {
      case 'ping':
        return { ok: 1 };
      case 'hello':
      case 'isMaster':
      case 'ismaster':
        return {
          helloOk: true, isWritablePrimary: true, ismaster: true, maxBsonObjectSize: 16777216,
          maxMessageSizeBytes: 48000000, maxWriteBatchSize: 100000, localTime: new Date(),
          logicalSessionTimeoutMinutes: 30, connectionId, minWireVersion: 0, maxWireVersion: 21,
          readOnly: false, ok: 1,
        };
      case 'echo':
        return { ok: 1, connectionId, body };
      case 'sleep':
        await sleep(Number(body.sleep));
        return { ok: 1, slept: body.sleep, connectionId };
      case 'throwMongo':
        throw new MongoCommandError(ErrorCode.BadValue, 'bad value from handler', {}, ['SomeLabel']);
      case 'throwPlain':
        throw new Error('plain boom');
      case 'withUndefined':
        return { ok: 1, gone: undefined, nested: { gone: undefined, kept: 1 } };
      case 'big':
        return { ok: 1, data: 'x'.repeat(Number(body.big)) };
      case 'notADoc':
        return undefined as unknown as Doc;
      default:
        return { ok: 0, errmsg: `no such command: '${name}'`, code: 59, codeName: 'CommandNotFound' };
    }
  };
}

/** Starts a wire server on a free port with the tiny handler. */
export async function startTestServer(maxMessageBytes?: number) {
  const seen: Seen = [];
  const log = captureLogger();
  const server: WireServer = await startWireServer({ host: '127.0.0.1', port: 0, handler: tinyHandler(seen), log, maxMessageBytes });
  return { server, seen, log, uri: `mongodb://127.0.0.1:${server.port}/` };
}

function header(length: number, requestID: number, opCode: number, responseTo = 0): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestID, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

/** Builds an OP_MSG by hand: one body section plus optional kind-1 sequences. */
export function opMsg(opts: { requestID: number; body: Doc; flags?: number; sequences?: Record<string, Doc[]>; checksum?: boolean }): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(serialize(opts.body))];
  for (const [id, docs] of Object.entries(opts.sequences ?? {})) {
    const payload = Buffer.concat([Buffer.from(id + '\0', 'utf8'), ...docs.map((d) => Buffer.from(serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    parts.push(Buffer.from([1]), size, payload);
  }
  let flags = opts.flags ?? 0;
  if (opts.checksum) flags |= 1;
  const flagBuf = Buffer.alloc(4);
  flagBuf.writeUInt32LE(flags >>> 0);
  const tail = opts.checksum ? [Buffer.from([0xde, 0xad, 0xbe, 0xef])] : [];
  const rest = Buffer.concat([flagBuf, ...parts, ...tail]);
  return Buffer.concat([header(16 + rest.length, opts.requestID, OP_MSG), rest]);
}

/** Builds a legacy OP_QUERY by hand. */
export function opQuery(opts: { requestID: number; ns: string; query: Doc; fields?: Doc; numberToReturn?: number }): Buffer {
  const fixed = Buffer.alloc(4);
  const counts = Buffer.alloc(8);
  counts.writeInt32LE(opts.numberToReturn ?? -1, 4);
  const rest = Buffer.concat([
    fixed, Buffer.from(opts.ns + '\0', 'utf8'), counts, Buffer.from(serialize(opts.query)),
    ...(opts.fields ? [Buffer.from(serialize(opts.fields))] : []),
  ]);
  return Buffer.concat([header(16 + rest.length, opts.requestID, OP_QUERY), rest]);
}

/** Any message with the given opcode and payload (length computed). */
export function rawMessage(requestID: number, opCode: number, payload: Buffer): Buffer {
  return Buffer.concat([header(16 + payload.length, requestID, opCode), payload]);
}

/** A reply as parsed by the test client (independently of the server's code). */
export interface Reply {
  requestID: number;
  responseTo: number;
  opCode: number;
  flags: number;
  doc: Doc;
  /** OP_REPLY only. */
  numberReturned?: number;
  cursorId?: bigint;
}

function parseReply(frame: Buffer): Reply {
  const requestID = frame.readInt32LE(4);
  const responseTo = frame.readInt32LE(8);
  const opCode = frame.readInt32LE(12);
  if (opCode === OP_MSG) {
    if (frame[20] !== 0) throw new Error(`expected kind-0 section, got ${frame[20]}`);
    return { requestID, responseTo, opCode, flags: frame.readUInt32LE(16), doc: deserialize(frame.subarray(21)) };
  }
  if (opCode === OP_REPLY) {
    return {
      requestID, responseTo, opCode, flags: frame.readInt32LE(16), cursorId: frame.readBigInt64LE(20),
      numberReturned: frame.readInt32LE(32), doc: deserialize(frame.subarray(36)),
    };
  }
  throw new Error(`unexpected reply opCode ${opCode}`);
}

/** A raw TCP client speaking hand-built wire messages. */
export class RawClient {
  readonly replies: Reply[] = [];
  closed = false;
  private buf = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private nextId = 1_000_000;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.buf = Buffer.concat([this.buf, chunk]);
      while (this.buf.length >= 4 && this.buf.length >= this.buf.readInt32LE(0)) {
        const len = this.buf.readInt32LE(0);
        this.replies.push(parseReply(this.buf.subarray(0, len)));
        this.buf = this.buf.subarray(len);
      }
      this.wake?.();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake?.();
    });
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new RawClient(socket));
      });
      socket.once('error', reject);
    });
  }

  write(data: Buffer): void {
    this.socket.write(data);
  }

  /** Resolves once `pred` holds; rejects after `timeoutMs`. */
  async until(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /** Waits for the reply to `requestID`; rejects if the socket closes first. */
  async replyTo(requestID: number, timeoutMs = 5000): Promise<Reply> {
    const find = () => this.replies.find((r) => r.responseTo === requestID);
    await this.until(() => find() !== undefined || this.closed, timeoutMs, `reply to ${requestID}`);
    const reply = find();
    if (!reply) throw new Error(`connection closed before reply to ${requestID}`);
    return reply;
  }

  /** Sends an OP_MSG command and returns its reply document. */
  async command(body: Doc, timeoutMs = 5000): Promise<Doc> {
    const requestID = this.nextId++;
    this.write(opMsg({ requestID, body }));
    return (await this.replyTo(requestID, timeoutMs)).doc;
  }

  /** Resolves true once the server has closed the socket, false on timeout. */
  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    try {
      await this.until(() => this.closed, timeoutMs, 'close');
      return true;
    } catch {
      return false;
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}
