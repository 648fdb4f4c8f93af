import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client, type SubscribePayload } from 'graphql-ws';
import WebSocket from 'ws';
import { until } from '../../../kit/testing.js';

/** A portal's graphql-ws client for the gateway at `httpUrl` (its `/graphql` upgraded). */
export function wsClient(httpUrl: string): Client {
  return createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
}

/** How an operation ended: `complete`, or an `error` message / socket close (`error`). */
export type Ending = { kind: 'complete' } | { kind: 'error'; error: unknown };

export interface Watch {
  results: FormattedExecutionResult[];
  /** Resolves when `n` results arrived; rejects after `timeoutMs` or when the operation ended first. */
  waitFor(n: number, timeoutMs?: number): Promise<FormattedExecutionResult[]>;
  ended: Promise<Ending>;
  /** Sends `complete` for the operation. */
  unsubscribe(): void;
}

/** Subscribes and records everything the gateway sends for the operation. */
export function watch<T = Record<string, unknown>>(client: Client, payload: SubscribePayload): Watch {
  const results: FormattedExecutionResult[] = [];
  const listeners = new Set<() => void>();
  let ending: Ending | undefined;
  let settle!: (e: Ending) => void;
  const ended = new Promise<Ending>((resolve) => (settle = resolve));
  const finish = (e: Ending) => {
    ending = e;
    settle(e);
    listeners.forEach((l) => l());
  };
  const unsubscribe = client.subscribe<T>(payload, {
    next: (r) => {
      results.push(r as FormattedExecutionResult);
      listeners.forEach((l) => l());
    },
    error: (error) => finish({ kind: 'error', error }),
    complete: () => finish({ kind: 'complete' }),
  });
  return {
    results,
    ended,
    unsubscribe,
    waitFor: (n, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`timed out waiting for ${n} results, got ${JSON.stringify(results)}`)), timeoutMs);
        const check = () => {
          if (results.length >= n) done();
          else if (ending) done(new Error(`operation ended (${JSON.stringify(ending)}) after ${results.length} of ${n} results`));
        };
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve(results.slice(0, n));
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Polls `predicate` until it holds (state that changes on another socket, e.g. upstream closed). */
export function eventually(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  return until(predicate, timeoutMs);
}
