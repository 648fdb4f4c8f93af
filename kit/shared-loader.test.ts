import { describe, expect, it } from 'vitest';
import { sharedLoader } from './shared-loader.js';

/** A batch function whose batches the test answers when it chooses; records what each asked for. */
function heldBatches() {
  const asked: string[][] = [];
  const answers: ((fail?: Error) => void)[] = [];
  const batch = (keys: readonly string[]) => {
    asked.push([...keys]);
    return new Promise<string[]>((resolve, reject) => answers.push((fail) => (fail ? reject(fail) : resolve(keys.map((k) => k.toUpperCase())))));
  };
  return { asked, batch, answer: (i: number, fail?: Error) => answers[i](fail) };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('sharedLoader', () => {
  it('should send a lone load at the end of the turn it was asked in', async () => {
    const { asked, batch, answer } = heldBatches();
    const loader = sharedLoader(batch);
    const value = loader.load('a');
    await turn();
    expect(asked).toEqual([['a']]);
    answer(0);
    expect(await value).toBe('A');
  });

  it('should gather the keys asked for while its batches are out into the next batch', async () => {
    const { asked, batch, answer } = heldBatches();
    const loader = sharedLoader(batch, { maxInFlight: 2 });
    const first = [loader.load('a'), loader.load('b')];
    await turn();
    const second = loader.load('c');
    await turn();
    const waiting = ['d', 'e', 'f'].map((k) => loader.load(k));
    await turn();
    await turn();
    expect(asked).toEqual([['a', 'b'], ['c']]); // two out: d, e, f wait
    answer(0);
    await turn();
    expect(asked).toEqual([['a', 'b'], ['c'], ['d', 'e', 'f']]);
    answer(1);
    answer(2);
    expect(await Promise.all([...first, second, ...waiting])).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  it('should cache nothing: a key asked for again is read again', async () => {
    const { asked, batch, answer } = heldBatches();
    const loader = sharedLoader(batch);
    const once = loader.load('a');
    await turn();
    answer(0);
    await once;
    const again = loader.load('a');
    await turn();
    answer(1);
    await again;
    expect(asked).toEqual([['a'], ['a']]);
  });

  it('should fail every load of a failed batch, and go on with the next', async () => {
    const { asked, batch, answer } = heldBatches();
    const loader = sharedLoader(batch, { maxInFlight: 1 });
    const failing = [loader.load('a'), loader.load('b')];
    await turn();
    const next = loader.load('c');
    await turn();
    expect(asked).toEqual([['a', 'b']]);
    answer(0, new Error('catalog subgraph unavailable'));
    for (const load of failing) await expect(load).rejects.toThrow('catalog subgraph unavailable');
    await turn();
    expect(asked).toEqual([['a', 'b'], ['c']]);
    answer(1);
    expect(await next).toBe('C');
  });

  it('should split more keys than a batch may hold into several batches', async () => {
    const { asked, batch, answer } = heldBatches();
    const loader = sharedLoader(batch, { maxBatchSize: 2, maxInFlight: 5 });
    const values = ['a', 'b', 'c', 'd', 'e'].map((k) => loader.load(k));
    await turn();
    expect(asked).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    asked.forEach((_, i) => answer(i));
    expect(await Promise.all(values)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });
});
