import type { Socket } from 'node:net';
import { MongoCommandError } from '../errors.js';
import type { Doc, Logger } from '../types.js';
import { FrameReader } from './frame-reader.js';
import { encodeOpMsgReply, parseOpMsg } from './op-msg.js';
import { encodeOpReply, parseOpQuery, QUERY_FAILURE_FLAG, unsupportedOpQueryReply } from './op-query.js';
import { OpCode, ProtocolError, readHeader } from './protocol.js';
import type { CommandHandler } from './server.js';

const SMALL_REPLY_BYTES = 64 * 1024;

/** Everything a Connection needs from its server. */
export interface ConnectionOptions {
  id: number;
  socket: Socket;
  handler: CommandHandler;
  log: Logger;
  maxMessageBytes: number;
  /** Allocates the requestID of an outgoing reply (unique per server). */
  nextRequestId: () => number;
}

/** A pipelining client is paused once this many frames or bytes wait behind the running one. */
const QUEUE_HIGH_FRAMES = 64;
const QUEUE_HIGH_BYTES = 64 * 1024 * 1024;

/** Socket errors that just mean "the peer went away" and are not worth a log line. */
const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED']);

type Encoder = (reply: Doc) => [Buffer, Buffer];

/**
 * One client connection: reassembles frames, runs their commands strictly in arrival order and
 * writes the replies. Any protocol violation closes this socket only, with one `log.warn` line.
 */
export class Connection {
  private readonly reader: FrameReader;
  // A ProtocolError queued behind earlier frames lets those still be answered before closing.
  private readonly queue: Array<Buffer | ProtocolError> = [];
  private queuedBytes = 0;
  private running = false;
  private peerEnded = false;
  private failed = false;
  private closed = false;

  constructor(private readonly opts: ConnectionOptions) {
    this.reader = new FrameReader(opts.maxMessageBytes);
    const { socket } = opts;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('end', () => {
      this.peerEnded = true;
      this.maybeFinish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (!PEER_GONE.has(err.code ?? '')) opts.log.info(`wire: connection ${opts.id} socket error: ${err.message}`);
    });
    socket.on('close', () => {
      this.closed = true;
      this.queue.length = 0;
    });
  }

  /** Destroys the socket immediately (used by server shutdown). */
  destroy(): void {
    this.opts.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.failed || this.closed) return;
    this.reader.push(chunk);
    try {
      for (let frame = this.reader.next(); frame; frame = this.reader.next()) {
        this.queue.push(frame);
        this.queuedBytes += frame.length;
      }
    } catch (err) {
      this.failed = true;
      this.queue.push(err instanceof ProtocolError ? err : new ProtocolError(String(err)));
    }
    if (this.failed || this.queue.length >= QUEUE_HIGH_FRAMES || this.queuedBytes >= QUEUE_HIGH_BYTES) {
      this.opts.socket.pause();
    }
    void this.drain();
  }

  /** Runs queued frames one at a time. Never rejects: every failure ends in fail(). */
  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const item = this.queue.shift()!;
        if (item instanceof ProtocolError) throw item;
        this.queuedBytes -= item.length;
        await this.process(item);
        if (this.queue.length === 0 && !this.failed && !this.closed) this.opts.socket.resume();
      }
    } catch (err) {
      this.fail(err instanceof ProtocolError ? err.message : `internal error: ${(err as Error)?.stack ?? err}`);
    } finally {
      this.running = false;
    }
    this.maybeFinish();
  }

  private async process(frame: Buffer): Promise<void> {
    const header = readHeader(frame);
    const nextId = this.opts.nextRequestId;
    switch (header.opCode) {
      case OpCode.MSG: {
        const req = parseOpMsg(frame, header);
        const reply = await this.runCommand(req.body);
        if (!req.moreToCome) await this.send(reply, (r) => encodeOpMsgReply(nextId(), header.requestID, r));
        return;
      }
      case OpCode.QUERY: {
        const req = parseOpQuery(frame, header);
        if (!req.command) {
          const reply = unsupportedOpQueryReply(req);
          await this.send(reply, (r) => encodeOpReply(nextId(), header.requestID, r, QUERY_FAILURE_FLAG));
          return;
        }
        const reply = await this.runCommand(req.command);
        await this.send(reply, (r) => encodeOpReply(nextId(), header.requestID, r));
        return;
      }
      case OpCode.COMPRESSED:
        throw new ProtocolError('OP_COMPRESSED received but compression was never negotiated');
      default:
        throw new ProtocolError(`unknown opCode ${header.opCode}`);
    }
  }

  private async runCommand(body: Doc): Promise<Doc> {
    try {
      const reply = await this.opts.handler({ body, connectionId: this.opts.id });
      if (reply !== null && typeof reply === 'object' && !Array.isArray(reply)) return reply;
      return internalError(`command handler returned ${Array.isArray(reply) ? 'an array' : String(reply)}, not a document`);
    } catch (err) {
      if (err instanceof MongoCommandError) return err.toReply();
      const name = Object.keys(body)[0] ?? '?';
      this.opts.log.warn(`wire: connection ${this.opts.id}: command '${name}' threw: ${(err as Error)?.stack ?? err}`);
      return internalError((err as Error)?.message ?? String(err));
    }
  }

  /** Encodes and writes a reply; an unserializable reply is replaced by an InternalError reply. */
  private async send(reply: Doc, encode: Encoder): Promise<void> {
    let parts: [Buffer, Buffer];
    try {
      parts = encode(reply);
    } catch (err) {
      parts = encode(internalError(`reply could not be serialized: ${(err as Error)?.message ?? err}`));
    }
    const { socket } = this.opts;
    if (this.closed || socket.destroyed || !socket.writable) return;
    // Small replies (the common case) go out as one buffer: one write syscall instead of a
    // writev per reply; large ones are not copied.
    if (parts[0].length + parts[1].length <= SMALL_REPLY_BYTES) {
      socket.write(Buffer.concat(parts));
    } else {
      socket.cork();
      socket.write(parts[0]);
      socket.write(parts[1]);
      socket.uncork();
    }
    // Waiting for drain keeps a slow reader from making us buffer reply after reply in memory.
    if (socket.writableNeedDrain) await this.waitForDrain();
  }

  private waitForDrain(): Promise<void> {
    const { socket } = this.opts;
    return new Promise((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  private fail(reason: string): void {
    this.failed = true;
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.opts.log.warn(`wire: closing connection ${this.opts.id}: ${reason}`);
    this.opts.socket.destroy();
  }

  /** After the peer half-closed, close our side once everything received has been answered. */
  private maybeFinish(): void {
    if (!this.peerEnded || this.running || this.queue.length > 0 || this.closed) return;
    this.opts.socket.end();
  }
}

function internalError(errmsg: string): Doc {
  return { ok: 0, errmsg, code: 1, codeName: 'InternalError' };
}
