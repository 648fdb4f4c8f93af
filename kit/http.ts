import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest } from '@apollo/server';
import { requestScope } from './db.js';

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface GraphQLHttpOptions<C extends BaseContext> {
  host: string;
  port: number;
  /** Builds the per-request context (loaders etc.). */
  context: (req: IncomingMessage) => Promise<C>;
  /** `GET /health`: ready when it resolves true. */
  health: () => Promise<boolean>;
  /** `GET /events`: a long-lived stream (the subgraph's outbox feed); 404 when absent. */
  events?: StreamEndpoint;
  /** POST endpoints by exact path (e.g. `/alarms`), each reading its own body; other methods get 405. */
  routes?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>>;
  /**
   * Open a diagnostics scope (`requestScope`: database commands counted) per GraphQL request;
   * development only. Once any scope has been opened, Node tracks the async context of every
   * promise in the process for good, which production has no use for.
   */
  countCommands?: boolean;
}

/** An endpoint that keeps its response open; closed by the server's `close()` before it returns. */
export interface StreamEndpoint {
  /** Answers one request; must not throw. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Ends every open response and refuses new ones. */
  close(): Promise<void>;
}

export interface RunningHttp {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new BodyTooLarge());
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function toHeaderMap(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function parseBody(req: IncomingMessage, raw: string): Promise<unknown> {
  if (req.method !== 'POST' || raw === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  return type.includes('application/json') ? JSON.parse(raw) : raw;
}

/**
 * Serves an ApolloServer on plain node:http: `/graphql` (POST/GET), `/health` and, when given,
 * `/events`. Each GraphQL request runs in its own diagnostics scope (database command counting).
 */
export async function listenGraphQL<C extends BaseContext>(apollo: ApolloServer<C>, opts: GraphQLHttpOptions<C>): Promise<RunningHttp> {
  const server = createServer((req, res) => {
    void handle(apollo, opts, req, res).catch((err: Error) => {
      if (!res.headersSent) sendJson(res, err instanceof BodyTooLarge ? 413 : 400, { errors: [{ message: err instanceof BodyTooLarge ? 'request body too large' : 'malformed request body', extensions: { code: 'BAD_REQUEST' } }] });
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host;
  return {
    url: `http://${host}:${port}/graphql`,
    port,
    server,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Streams never end by themselves: end them (and their change streams) before the
      // connections go, so nothing reads the database after its connection closes.
      await opts.events?.close();
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handle<C extends BaseContext>(apollo: ApolloServer<C>, opts: GraphQLHttpOptions<C>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/health') {
    const ok = await opts.health().catch(() => false);
    return sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable' });
  }
  if (url.pathname === '/events' && opts.events) return opts.events.handle(req, res, url);
  const route = opts.routes && Object.hasOwn(opts.routes, url.pathname) ? opts.routes[url.pathname] : undefined;
  if (route) {
    if (req.method !== 'POST') return void res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' }).end(JSON.stringify({ error: `${url.pathname} accepts POST only` }));
    return route(req, res).catch((err: Error) => {
      // A handler's own failure is ours (500), not the client's malformed body (the 400 below).
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: err.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.end();
    });
  }
  if (url.pathname !== '/graphql') {
    const paths = ['/graphql', ...(opts.events ? ['/events'] : []), ...Object.keys(opts.routes ?? {}), '/health'];
    return sendJson(res, 404, { error: `not found: use ${paths.join(', ')}` });
  }
  const raw = await readBody(req);
  const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers: toHeaderMap(req), search: url.search, body: await parseBody(req, raw) };
  const execute = () => apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => opts.context(req) });
  const response = await (opts.countCommands ? requestScope.run({ dbCommands: 0 }, execute) : execute());
  res.statusCode = response.status ?? 200;
  for (const [key, value] of response.headers) res.setHeader(key, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
