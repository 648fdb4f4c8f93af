import type { GraphQLFormattedError } from 'graphql';
import { createClient, type Client, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import type { SubgraphEvent } from './expand.js';
import { GraphQLError } from '../../kit/graphql-cjs.js';

/** Receives one upstream subscription's messages; after `error` or `complete` nothing follows. */
export interface UpstreamSink {
  next(event: SubgraphEvent): void;
  error(error: GraphQLError): void;
  complete(): void;
}

interface Subscription {
  settled: boolean;
  fail(error: GraphQLError): void;
}

/** One graphql-ws connection to a subgraph and the subscriptions multiplexed on it. */
interface Connection {
  client: Client;
  subs: Set<Subscription>;
  lastError?: string;
}

/** `http://host:4003/graphql` → `ws://host:4003/graphql` (https → wss). */
export function toWebSocketUrl(httpUrl: string): string {
  return httpUrl.replace(/^http(s?):\/\//, 'ws$1://');
}

function unavailable(serviceName: string, detail: string): GraphQLError {
  return new GraphQLError(`subgraph '${serviceName}' ${detail}`, { extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName } });
}

function describeClose(event: unknown): string {
  const { code, reason } = event as { code?: number; reason?: string };
  return `closed the subscription connection (${code ?? 'no code'}${reason ? `: ${reason}` : ''})`;
}

/** An upstream `error` message (the subgraph refused the operation) for the gateway's client. */
function refused(serviceName: string, errors: readonly GraphQLFormattedError[]): GraphQLError {
  const [first] = errors;
  const message = errors.map((e) => e.message).join('; ') || `subgraph '${serviceName}' refused the subscription`;
  return new GraphQLError(message, { extensions: { ...first?.extensions, serviceName } });
}

/** `dispose` rejects when the socket never opened (it awaits the failed connect); that is fine. */
function dispose(client: Client): Promise<void> {
  return Promise.resolve(client.dispose()).catch(() => {});
}

/**
 * Subscriptions to subgraphs over graphql-ws, one client (one socket) per subgraph shared by all
 * gateway subscriptions to it. A client lives while it has subscriptions; the last one leaving
 * disposes it, and the next subscription opens a fresh one.
 *
 * Never silently resubscribes. graphql-ws clients retry on their own (always after a close with
 * code 1000, whatever `retryAttempts` says); a resubscription would replay from wherever the
 * original variables say — duplicates or a gap for the client. So any close of the socket fails
 * every subscription on it, naming the subgraph, and the client resumes with its last cursor.
 */
export class UpstreamSubscriptions {
  private readonly connections = new Map<string, Connection>();
  private closed = false;

  constructor(
    private readonly urls: Record<string, string>,
    private readonly ackTimeoutMs: number,
  ) {}

  /** Upstream subscriptions currently open (diagnostics and tests). */
  get active(): number {
    let n = 0;
    for (const c of this.connections.values()) n += c.subs.size;
    return n;
  }

  /** Opens a subscription; the returned function closes it (sends `complete` upstream). */
  subscribe(serviceName: string, payload: SubscribePayload, sink: UpstreamSink): () => void {
    const url = this.urls[serviceName];
    if (this.closed || !url) {
      const error = unavailable(serviceName, this.closed ? 'is not reachable: the gateway is stopping' : 'has no configured URL');
      queueMicrotask(() => sink.error(error));
      return () => {};
    }
    const conn = this.connections.get(serviceName) ?? this.open(serviceName, url);
    let cancel: () => void = () => {};
    const sub: Subscription = {
      settled: false,
      fail: (error) => settle(() => sink.error(error)),
    };
    const settle = (then: () => void) => {
      if (sub.settled) return;
      sub.settled = true;
      cancel();
      this.release(serviceName, conn, sub);
      then();
    };
    conn.subs.add(sub);
    cancel = conn.client.subscribe<Record<string, unknown>, Record<string, unknown>>(payload, {
      next: (event) => {
        if (!sub.settled) sink.next(event);
      },
      error: (err) => sub.fail(Array.isArray(err) ? refused(serviceName, err) : unavailable(serviceName, conn.lastError ? `is unavailable: ${conn.lastError}` : describeClose(err))),
      complete: () => settle(() => sink.complete()),
    });
    return () => settle(() => {});
  }

  /** Fails every open subscription and closes every socket (gateway shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    const error = unavailable('gateway', 'is stopping');
    const all = [...this.connections.values()];
    this.connections.clear();
    for (const conn of all) for (const sub of [...conn.subs]) sub.fail(error);
    await Promise.all(all.map((c) => dispose(c.client)));
  }

  private open(serviceName: string, httpUrl: string): Connection {
    let seq = 0;
    const client = createClient({
      url: toWebSocketUrl(httpUrl),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      shouldRetry: () => false,
      connectionAckWaitTimeout: this.ackTimeoutMs,
      // Ids only need to be unique per socket; a counter cannot collide.
      generateID: () => String(++seq),
    });
    const conn: Connection = { client, subs: new Set() };
    client.on('error', (err) => {
      conn.lastError = (err as { message?: string }).message ?? String(err);
    });
    // Registered before any subscription exists, so it runs before the library's own close
    // handling (which would retry after code 1000): the subscriptions fail first.
    client.on('closed', (event) => {
      if (this.connections.get(serviceName) === conn) this.connections.delete(serviceName);
      const error = unavailable(serviceName, conn.lastError ? `is unavailable: ${conn.lastError}` : describeClose(event));
      for (const sub of [...conn.subs]) sub.fail(error);
      void dispose(client);
    });
    this.connections.set(serviceName, conn);
    return conn;
  }

  private release(serviceName: string, conn: Connection, sub: Subscription): void {
    conn.subs.delete(sub);
    if (conn.subs.size > 0) return;
    if (this.connections.get(serviceName) === conn) this.connections.delete(serviceName);
    void dispose(conn.client);
  }
}
