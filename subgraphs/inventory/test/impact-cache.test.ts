import { describe, expect, it } from 'vitest';
import type { Impact } from '../topology/impact.js';
import { ImpactCache } from '../topology/impact-cache.js';

const impactOf = (size: number): Impact => ({ resourceIds: Array.from({ length: size }, (_, i) => `r${i}`), serviceIds: [], customers: [] });

function liveCache() {
  let now = 0;
  const cache = new ImpactCache(() => now);
  cache.enable();
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('ImpactCache', () => {
  it('should serve nothing until writes are watched, and nothing once they no longer are', () => {
    const cache = new ImpactCache(() => 0);
    cache.set('a', impactOf(1), cache.begin());
    expect(cache.get('a')).toBeUndefined();
    cache.enable();
    cache.set('a', impactOf(1), cache.begin());
    expect(cache.get('a')).toEqual(impactOf(1));
    cache.disable();
    expect(cache.get('a')).toBeUndefined();
  });

  it('should never store a walk that started before a write', () => {
    const { cache } = liveCache();
    const startedAt = cache.begin();
    cache.clear(); // a write arrives while the walk runs
    cache.set('a', impactOf(1), startedAt);
    expect(cache.get('a')).toBeUndefined();
  });

  it('should expire entries after 30 seconds', () => {
    const { cache, advance } = liveCache();
    cache.set('a', impactOf(1), cache.begin());
    advance(29_999);
    expect(cache.get('a')).toBeDefined();
    advance(1);
    expect(cache.get('a')).toBeUndefined();
  });

  it('should evict the least recently used entries beyond 500,000 ids, and never hold one larger than that', () => {
    const { cache } = liveCache();
    cache.set('a', impactOf(200_000), cache.begin());
    cache.set('b', impactOf(200_000), cache.begin());
    expect(cache.get('a')).toBeDefined(); // now b is the least recently used
    cache.set('c', impactOf(200_000), cache.begin());
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    cache.set('huge', impactOf(500_001), cache.begin());
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
  });
});
