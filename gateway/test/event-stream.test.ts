import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import { OrderedEventStream } from '../subscriptions/event-stream.js';
import { GraphQLError } from '../../kit/graphql-cjs.js';

/** An expansion whose completion the test controls: `finish(n)` completes event n. */
function controlledExpansions() {
  const waiting = new Map<number, () => void>();
  let running = 0;
  let maxRunning = 0;
  const expand = (event: { data?: unknown }) => {
    const n = (event.data as { n: number }).n;
    running++;
    maxRunning = Math.max(maxRunning, running);
    return new Promise<ExecutionResult>((resolve) =>
      waiting.set(n, () => {
        running--;
        resolve({ data: { n } });
      }),
    );
  };
  const finish = (n: number) => waiting.get(n)!();
  return { expand, finish, started: () => [...waiting.keys()], maxRunning: () => maxRunning };
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const n = (r: IteratorResult<ExecutionResult>) => (r.done ? 'done' : (r.value.data as { n: number }).n);

describe('ordered event stream', () => {
  it('should deliver in arrival order when later expansions finish first', async () => {
    const x = controlledExpansions();
    const stream = new OrderedEventStream(x.expand, { concurrency: 8, maxPending: 100 });
    [1, 2, 3].forEach((i) => stream.push({ data: { n: i } }));
    const first = stream.next();
    x.finish(3);
    x.finish(2);
    await tick();
    x.finish(1);
    expect([n(await first), n(await stream.next()), n(await stream.next())]).toEqual([1, 2, 3]);
  });

  it('should run at most `concurrency` expansions at once', async () => {
    const x = controlledExpansions();
    const stream = new OrderedEventStream(x.expand, { concurrency: 2, maxPending: 100 });
    [1, 2, 3, 4].forEach((i) => stream.push({ data: { n: i } }));
    expect(x.started()).toEqual([1, 2]);
    x.finish(1);
    expect(n(await stream.next())).toBe(1);
    expect(x.started()).toEqual([1, 2, 3]);
    expect(x.maxRunning()).toBe(2);
  });

  it('should stop at once on return(), even while next() waits, and close upstream once', async () => {
    const x = controlledExpansions();
    const stream = new OrderedEventStream(x.expand, { concurrency: 8, maxPending: 100 });
    let cancels = 0;
    stream.onStop(() => cancels++);
    const waiting = stream.next();
    await stream.return();
    expect(await waiting).toEqual({ done: true, value: undefined });
    stream.push({ data: { n: 1 } });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    expect(cancels).toBe(1);
  });

  it('should deliver what arrived before an upstream failure, then throw it', async () => {
    const x = controlledExpansions();
    const stream = new OrderedEventStream(x.expand, { concurrency: 8, maxPending: 100 });
    stream.push({ data: { n: 1 } });
    stream.fail(new GraphQLError("subgraph 'order' went away"));
    x.finish(1);
    expect(n(await stream.next())).toBe(1);
    await expect(stream.next()).rejects.toThrow("subgraph 'order' went away");
  });

  it('should complete after the pending events when upstream completes', async () => {
    const x = controlledExpansions();
    const stream = new OrderedEventStream(x.expand, { concurrency: 8, maxPending: 100 });
    stream.push({ data: { n: 1 } });
    stream.end();
    x.finish(1);
    expect(n(await stream.next())).toBe(1);
    expect(n(await stream.next())).toBe('done');
  });

  it('should fail a subscription that falls too far behind instead of dropping events', async () => {
    const x = controlledExpansions();
    const stream = new OrderedEventStream(x.expand, { concurrency: 1, maxPending: 3 });
    let cancels = 0;
    stream.onStop(() => cancels++);
    [1, 2, 3, 4].forEach((i) => stream.push({ data: { n: i } }));
    await expect(stream.next()).rejects.toThrow(/fell behind/);
    expect(cancels).toBe(1);
  });
});
