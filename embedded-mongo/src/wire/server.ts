import { createServer, type Socket } from 'node:net';
import type { Doc, Logger } from '../types.js';
import { Connection } from './connection.js';

/** One command as received from a client. */
export interface CommandRequest {
  /**
   * The OP_MSG body section with every kind-1 document sequence merged in as an array field under
   * its identifier (e.g. `documents`, `updates`, `deletes`). For a legacy OP_QUERY on
   * `<db>.$cmd` it is the query, unwrapped from `$query`, with `$db` set to `<db>`.
   */
  body: Doc;
  /** Per-server connection number, starting at 1. */
  connectionId: number;
}

/**
 * Executes one command and resolves to its reply document (which may be an `{ ok: 0 }` error).
 * A thrown MongoCommandError is answered with its `toReply()`; any other throw (or a non-document
 * result) is answered `{ ok: 0, code: 1, codeName: 'InternalError', errmsg }`.
 */
export type CommandHandler = (req: CommandRequest) => Promise<Doc>;

/** A running wire server. */
export interface WireServer {
  /** The host it was asked to listen on. */
  host: string;
  /** The actual bound port (resolved when 0 was requested). */
  port: number;
  /** Stops listening and destroys every open socket; resolves once the listener is closed. */
  close(): Promise<void>;
  /** Number of currently open client sockets. */
  connectionCount(): number;
}

/** Options for startWireServer. */
export interface WireServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  handler: CommandHandler;
  log: Logger;
  /** Largest accepted messageLength; defaults to 48,000,000 (what hello advertises). */
  maxMessageBytes?: number;
}

const DEFAULT_MAX_MESSAGE_BYTES = 48_000_000;

/**
 * Starts a MongoDB wire-protocol server (OP_MSG, plus legacy OP_QUERY for handshakes) that hands
 * every command to `handler`.
 */
export async function startWireServer(opts: WireServerOptions): Promise<WireServer> {
  const maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const connections = new Map<Socket, Connection>();
  let nextConnectionId = 1;
  let requestId = 0;
  // requestID is an int32 on the wire; wrap before it would overflow.
  const nextRequestId = () => (requestId = requestId >= 0x7fffffff ? 1 : requestId + 1);

  let closing: Promise<void> | undefined;

  // allowHalfOpen lets a client that writes and then half-closes still receive its replies.
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    if (closing) {
      socket.on('error', () => {});
      socket.destroy();
      return;
    }
    const id = nextConnectionId++;
    // Connection attaches the socket's 'error' listener before anything can emit one.
    connections.set(socket, new Connection({ id, socket, handler: opts.handler, log: opts.log, maxMessageBytes, nextRequestId }));
    socket.once('close', () => connections.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Accept failures such as EMFILE surface here; they must not take the process down.
  server.on('error', (err) => opts.log.warn(`wire: server error: ${err.message}`));

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.log.info(`wire: listening on ${opts.host}:${port}`);

  return {
    host: opts.host,
    port,
    connectionCount: () => connections.size,
    close() {
      closing ??= (async () => {
        const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Wait for each socket's own 'close' so connectionCount() is 0 once this resolves.
        const socketsClosed = [...connections].map(([socket, connection]) => {
          const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
          connection.destroy();
          return closed;
        });
        await Promise.all([listenerClosed, ...socketsClosed]);
      })();
      return closing;
    },
  };
}
