import type { ExecutionResult } from 'graphql';
import { GraphQLError } from '../../kit/graphql-cjs.js';
import type { ExpandEvent, SubgraphEvent } from './expand.js';

export interface EventStreamOptions {
  /** Events of one subscription expanded at the same time (1 = strictly one after another). */
  concurrency: number;
  /** Events received but not yet delivered before the subscription is failed as too slow. */
  maxPending: number;
}

interface Entry {
  event: SubgraphEvent;
  result?: ExecutionResult;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The client-side stream of one federated subscription: subgraph events go in (`push`), their
 * expansions come out in the order the subgraph sent the events.
 *
 * Ordering: expansions may run concurrently and finish in any order (one event's entity fetch
 * may be slower than the next one's), but `next()` only ever hands out the oldest event, and only
 * once its expansion has finished — so delivery order is arrival order, each event exactly once.
 *
 * Why not an async generator: graphql-ws stops a subscription by calling `return()`, and a
 * generator that is suspended in an `await` (waiting for the next event) queues that call until
 * the next event arrives — the upstream subscription would stay open until then. Here
 * `return()` takes effect immediately: it cancels upstream and resolves any pending `next()`.
 */
export class OrderedEventStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly pending: Entry[] = [];
  /** `pending[0 .. started)` have their expansion running or done; they always form a prefix. */
  private started = 0;
  private running = 0;
  private ended = false;
  private closed = false;
  private failure?: GraphQLError;
  private upstreamStopped = false;
  private waiters: (() => void)[] = [];
  private readonly cancelers: (() => void)[] = [];

  constructor(
    private readonly expand: ExpandEvent,
    private readonly options: EventStreamOptions,
  ) {}

  /** `cancel` closes the upstream subscription: runs once, when the client stops or upstream fails. */
  onStop(cancel: () => void): void {
    if (this.upstreamStopped) cancel();
    else this.cancelers.push(cancel);
  }

  push(event: SubgraphEvent): void {
    if (this.ended) return;
    if (this.pending.length >= this.options.maxPending) {
      // The client (or the expansion) cannot keep up; dropping events silently would break
      // "no gap", so the subscription fails and the client resumes from its last cursor.
      this.pending.length = this.started = 0;
      this.fail(new GraphQLError(`subscription fell behind: more than ${this.options.maxPending} events waiting for delivery`, { extensions: { code: 'SUBSCRIPTION_OVERFLOW' } }));
      return;
    }
    this.pending.push({ event });
    this.pump();
  }

  /** Upstream completed: deliver what is pending, then complete. */
  end(): void {
    this.ended = true;
    this.notify();
  }

  /** Upstream failed: deliver what is pending, then the error. The first failure wins. */
  fail(error: GraphQLError): void {
    if (this.ended) return;
    this.failure = error;
    this.ended = true;
    this.stopUpstream();
    this.notify();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      if (this.closed) return DONE;
      const head = this.pending[0];
      if (head?.result) {
        this.pending.shift();
        this.started--;
        this.pump();
        return { done: false, value: head.result };
      }
      if (!head && this.ended) {
        this.close();
        if (this.failure) throw this.failure;
        return DONE;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    return Promise.resolve(DONE);
  }

  throw(): Promise<IteratorResult<ExecutionResult>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private pump(): void {
    while (this.running < this.options.concurrency && this.started < this.pending.length) {
      const entry = this.pending[this.started++];
      this.running++;
      const settle = (result: ExecutionResult) => {
        this.running--;
        entry.result = result;
        this.pump();
        this.notify();
      };
      // `expand` never rejects by contract; the guard keeps a broken one from stalling the stream.
      this.expand(entry.event).then(settle, (err: Error) => settle({ errors: [new GraphQLError(err.message)] }));
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = this.ended = true;
    this.pending.length = this.started = 0;
    this.stopUpstream();
    this.notify();
  }

  private stopUpstream(): void {
    this.upstreamStopped = true;
    for (const cancel of this.cancelers.splice(0)) cancel();
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}
