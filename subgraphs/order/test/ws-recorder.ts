import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client to a subgraph's `/graphql` (the same URL as HTTP, ws:// scheme). */
export function wsClient(httpUrl: string): Client {
  return createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
}

/** An error as a graphql-ws `error` message carries it. */
export interface WsError {
  message: string;
  extensions?: Record<string, unknown>;
}

/** Everything one subscription received, with a way to wait for more. */
export class Recorder<T> {
  readonly events: T[] = [];
  errors: WsError[] | undefined;
  completed = false;
  private waiters: (() => void)[] = [];
  readonly unsubscribe: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown>) {
    this.unsubscribe = client.subscribe<T>({ query, variables }, {
      next: (result) => {
        // A `next` carrying errors would be a protocol misuse for a refused subscription.
        if (result.errors) this.errors = result.errors as WsError[];
        else this.events.push(result.data as T);
        this.notify();
      },
      error: (err) => {
        this.errors = Array.isArray(err) ? (err as WsError[]) : [{ message: String((err as Error)?.message ?? err) }];
        this.notify();
      },
      complete: () => {
        this.completed = true;
        this.notify();
      },
    });
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `predicate` holds; rejects after `timeoutMs` with what was received. */
  async until(predicate: (r: this) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${JSON.stringify({ events: this.events, errors: this.errors, completed: this.completed })}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for `n` events in all. */
  count(n: number, timeoutMs?: number): Promise<void> {
    return this.until((r) => r.events.length >= n || r.errors !== undefined, timeoutMs);
  }
}
