import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';

/** Bytes a socket may hold unsent before a sender is made to wait for the flush again. */
const EAGER_LIMIT = 256 * 1024;

type Send = (data: unknown, options?: unknown, cb?: (err?: Error) => void) => void;

/**
 * Makes every socket of `wss` gather the messages sent within one turn of the event loop into
 * one write: the first `send` of a turn corks the TCP socket and the check phase uncorks it.
 * A subscription in an alarm storm sends thousands of small `next` messages a second, and one
 * write system call per message cost more than building the messages.
 *
 * graphql-ws waits for each message's send callback before it sends the next, and a corked
 * write calls back only once flushed, which would let one message through per turn. So while
 * less than EAGER_LIMIT is buffered the callback is answered at once (a failed write closes
 * the socket, which graphql-ws handles); beyond it, senders wait for the flush as before, so a
 * slow reader still slows its subscriptions down rather than filling memory.
 */
export function coalesceSends(wss: WebSocketServer): void {
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const socket = req.socket;
    const send = ws.send.bind(ws) as Send;
    let corked = false;
    ws.send = ((data: unknown, optionsOrCb?: unknown, maybeCb?: (err?: Error) => void) => {
      const cb = typeof optionsOrCb === 'function' ? (optionsOrCb as (err?: Error) => void) : maybeCb;
      const options = typeof optionsOrCb === 'function' ? undefined : optionsOrCb;
      if (!corked && !socket.destroyed) {
        corked = true;
        socket.cork();
        setImmediate(() => {
          corked = false;
          socket.uncork();
        });
      }
      if (!cb || socket.writableLength >= EAGER_LIMIT) return send(data, options, cb);
      send(data, options, () => {});
      queueMicrotask(() => cb());
    }) as WebSocket['send'];
  });
}
