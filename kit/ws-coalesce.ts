import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Messages per turn, and bytes, a socket takes before senders wait for the flush again. The
 * count bounds the burst a reader gets at once: the gateway, in the same process as the
 * subgraphs under `npm start`, fails a subscription whose unexpanded events pile up (1,000).
 */
const EAGER_MESSAGES = 64;
const EAGER_BYTES = 256 * 1024;

type Send = (data: unknown, options?: unknown, cb?: (err?: Error) => void) => void;

/**
 * Makes every socket of `wss` gather the messages sent within one turn of the event loop into
 * one write: the first `send` of a turn corks the TCP socket and the check phase uncorks it.
 * A subscription in an alarm storm sends thousands of small `next` messages a second, and one
 * write system call per message cost more than building the messages.
 *
 * graphql-ws waits for each message's send callback before it sends the next, and a corked
 * write calls back only once flushed, which would let one message through per turn. So while
 * a turn's sends are few and small (EAGER_MESSAGES, EAGER_BYTES) the callback is answered at once
 * (a failed write closes the socket, which graphql-ws handles); beyond that, senders wait for
 * the flush as before, so a slow reader still slows its subscriptions down rather than filling
 * memory.
 */
export function coalesceSends(wss: WebSocketServer): void {
  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const socket = req.socket;
    const send = ws.send.bind(ws) as Send;
    let corked = false;
    let eager = 0;
    ws.send = ((data: unknown, optionsOrCb?: unknown, maybeCb?: (err?: Error) => void) => {
      const cb = typeof optionsOrCb === 'function' ? (optionsOrCb as (err?: Error) => void) : maybeCb;
      const options = typeof optionsOrCb === 'function' ? undefined : optionsOrCb;
      if (!corked && !socket.destroyed) {
        corked = true;
        socket.cork();
        setImmediate(() => {
          corked = false;
          eager = 0;
          socket.uncork();
        });
      }
      if (!cb || eager >= EAGER_MESSAGES || socket.writableLength >= EAGER_BYTES) return send(data, options, cb);
      eager += 1;
      send(data, options, () => {});
      queueMicrotask(() => cb());
    }) as WebSocket['send'];
  });
}
