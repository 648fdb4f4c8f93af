import type { AppConfig, SubgraphName } from './config.js';
import { subgraphUnavailable } from './errors.js';

export interface RemoteQueryOptions {
  /** Deadline of the whole call (connect, answer, body). */
  timeoutMs: number;
  /** Who answers at `url`, for error messages; the URL when omitted. */
  name?: string;
}

interface RemoteResponse<T> {
  data?: T | null;
  errors?: { message: string }[];
}

/**
 * A GraphQL operation against another subgraph's API over HTTP — how a subgraph reads data it does
 * not own (never through the other's database). Resolves with `data`; anything else (no answer
 * in time, an HTTP error, a body that is not GraphQL, GraphQL errors) throws a
 * SUBGRAPH_UNAVAILABLE GraphQLError naming the subgraph, so the caller's client learns which
 * dependency failed and nothing half-validated gets written.
 */
export async function remoteQuery<T>(url: string, query: string, variables: Record<string, unknown>, opts: RemoteQueryOptions): Promise<T> {
  const name = opts.name ?? url;
  let res: Response;
  let body: RemoteResponse<T>;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    body = (await res.json()) as RemoteResponse<T>;
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${opts.timeoutMs} ms` : e.message;
    throw subgraphUnavailable(name, `${why} (${url})`);
  }
  if (body.errors?.length) throw subgraphUnavailable(name, body.errors.map((e) => e.message).join('; '));
  if (!res.ok || body.data == null) throw subgraphUnavailable(name, `HTTP ${res.status} without data (${url})`);
  return body.data;
}

/** `remoteQuery` to one of the six subgraphs, at its configured URL and with the configured deadline. */
export function querySubgraph<T>(config: AppConfig, name: SubgraphName, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  return remoteQuery<T>(config.subgraphs[name].url, query, variables, { timeoutMs: config.subgraphTimeoutMs, name });
}

/** One GraphQL error of a `callSubgraph` answer; `code` is `extensions.code` when present. */
export interface SubgraphCallError {
  message: string;
  code?: string;
  extensions?: Record<string, unknown>;
}

/** What a subgraph answered: its `data` (null when none) and its errors, codes kept. */
export interface SubgraphCallResult<T> {
  data: T | null;
  errors: SubgraphCallError[];
}

/**
 * Like `querySubgraph`, but a GraphQL answer is returned as is — `data` and every error with its
 * `extensions.code` — so the caller can tell a business refusal (CONFLICT, NOT_FOUND,
 * BAD_USER_INPUT, RESOURCE_UNAVAILABLE…: permanent) from an outage. Only transport failures throw
 * SUBGRAPH_UNAVAILABLE: no answer in time, or a body that is not a GraphQL response (e.g. a
 * proxy's 502 page).
 */
export async function callSubgraph<T>(config: AppConfig, name: SubgraphName, query: string, variables: Record<string, unknown> = {}): Promise<SubgraphCallResult<T>> {
  const url = config.subgraphs[name].url;
  let res: Response;
  let body: unknown;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(config.subgraphTimeoutMs),
    });
    body = await res.json();
  } catch (err) {
    const e = err as Error;
    const why = e.name === 'TimeoutError' ? `no answer within ${config.subgraphTimeoutMs} ms` : e.message;
    throw subgraphUnavailable(name, `${why} (${url})`);
  }
  const { data, errors } = (body ?? {}) as { data?: T | null; errors?: unknown };
  // A GraphQL response has `data` or a non-empty `errors` list; anything else is not an answer.
  if (typeof body !== 'object' || body === null || (data == null && !(Array.isArray(errors) && errors.length))) {
    throw subgraphUnavailable(name, `HTTP ${res.status} without a GraphQL answer (${url})`);
  }
  const list = Array.isArray(errors) ? (errors as { message?: unknown; extensions?: Record<string, unknown> }[]) : [];
  return {
    data: data ?? null,
    errors: list.map((e) => {
      const code = e.extensions?.code;
      return { message: String(e.message ?? 'unknown error'), ...(typeof code === 'string' ? { code } : {}), ...(e.extensions ? { extensions: e.extensions } : {}) };
    }),
  };
}

/**
 * One `field(id: …)` lookup per id, aliased into a single request to subgraph `name`: how a
 * subgraph reads several entities it does not own in one round trip (`selection` is what it
 * needs of each). Resolves with each id's answer, null when the owner does not know it; throws
 * like `querySubgraph`.
 */
export async function queryEach<T>(config: AppConfig, name: SubgraphName, field: string, selection: string, ids: readonly string[]): Promise<Map<string, T | null>> {
  const distinct = [...new Set(ids)];
  const query = `query (${distinct.map((_, i) => `$k${i}: ID!`).join(', ')}) { ${distinct.map((_, i) => `k${i}: ${field}(id: $k${i}) { ${selection} }`).join(' ')} }`;
  const data = await querySubgraph<Record<string, T | null>>(config, name, query, Object.fromEntries(distinct.map((id, i) => [`k${i}`, id])));
  return new Map(distinct.map((id, i) => [id, data[`k${i}`] ?? null]));
}
